/**
 * Every environment variable and secret key the code under lambdas/ reads, found in the source by the
 * helpers it reads them through (lambdas/adapters/env.ts, secrets.ts) or `process.env.NAME`. Which of
 * them a function reads is then told by its bundle: esbuild keeps only the code a handler reaches.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { SecretGroup } from '../../lambdas/contract/functions.ts';
import { ROOT } from './synth.ts';

export interface EnvRead {
  readonly name: string;
  /** Read from the environment, or a key of the `<GROUP>_SECRET_ARN` secret (plain variable locally). */
  readonly from: 'env' | SecretGroup;
  /** `requireEnv` / `secret` throw without it; `optionalEnv`, `optionalSecret`, `process.env` do not. */
  readonly required: boolean;
  readonly where: string;
}

const LITERAL_READS: readonly { pattern: RegExp; read: (m: RegExpMatchArray) => Omit<EnvRead, 'where'> }[] = [
  {
    pattern: /\brequireEnv\(\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\)/g,
    read: (m) => ({ name: m[1]!, from: 'env', required: true }),
  },
  {
    pattern: /\boptionalEnv\(\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\)/g,
    read: (m) => ({ name: m[1]!, from: 'env', required: false }),
  },
  {
    pattern: /\bprocess\.env\.([A-Z][A-Z0-9_]*)/g,
    read: (m) => ({ name: m[1]!, from: 'env', required: false }),
  },
  {
    pattern: /\b(secret|optionalSecret)\(\s*['"]([A-Z]+)['"]\s*,\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\)/g,
    read: (m) => ({ name: m[3]!, from: m[2] as SecretGroup, required: m[1] === 'secret' }),
  },
];

/** Any read through these helpers, literal or not; a non-literal one would hide its name from the test. */
const ANY_READ = /\b(requireEnv|optionalEnv|secret|optionalSecret)\(([^)]*)\)|\bprocess\.env\b(?!\.[A-Z])/g;
/** The helpers themselves read by a name they are given. */
const HELPERS = new Set(['lambdas/adapters/env.ts', 'lambdas/adapters/secrets.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

export function envReadsInSources(): { reads: EnvRead[]; hidden: string[] } {
  const reads: EnvRead[] = [];
  const hidden: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'lambdas'))) {
    const where = path.relative(ROOT, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    for (const { pattern, read } of LITERAL_READS) {
      for (const match of text.matchAll(pattern)) reads.push({ ...read(match), where });
    }
    if (HELPERS.has(where)) continue;
    for (const match of text.matchAll(ANY_READ)) {
      const call = match[0];
      if (!LITERAL_READS.some(({ pattern }) => new RegExp(`^(?:${pattern.source})$`).test(call)))
        hidden.push(`${where}: ${call}`);
    }
  }
  return { reads, hidden };
}

/** Whether a bundle contains the name as a string literal or as `process.env.NAME`. */
export function bundleReads(bundle: string, name: string): boolean {
  return new RegExp(`["'\`]${name}["'\`]|process\\.env\\.${name}\\b`).test(bundle);
}
