import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong use of the command line: the message says exactly what, and the exit code is 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file the user gave us is not what it should be (bad JSON, invalid roster): exit code 1. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * The package's root, found from here upwards: this file runs from bin/comms/ in a checkout and from the
 * bundle in dist/ in an install (bin/build-comms.mjs), so a fixed number of `..` would be wrong in one.
 */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const REPO_ROOT = packageRoot();
export const EXAMPLE_ROSTER = path.join(REPO_ROOT, 'config', 'roster.example.json');

export function readText(file: string, what: string): string {
  if (file === '-') return readFileSync(0, 'utf8');
  // The command was used right; the file is what is wrong, so this is exit 1 like any other bad input.
  if (!existsSync(file)) throw new InputError(`${what} "${file}" does not exist`);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${what} "${file}": ${(error as Error).message}`);
  }
}

export function readJson(file: string, what: string): unknown {
  const text = readText(file, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${what} "${file}" is not valid JSON: ${(error as Error).message}`);
  }
}

/** `node:util` parseArgs, with its errors turned into UsageErrors that name the command. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      `${command}: ${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}`,
    );
  }
}

/** Checks a flag's value is one of a list, with a message listing the choices. */
export function oneOf<T extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const match = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (!match)
    throw new UsageError(`${command}: --${flag} must be one of ${choices.join(', ')} (got "${value}")`);
  return match;
}

export function parseTime(command: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new UsageError(
      `${command}: --at must be an ISO 8601 time such as 2026-11-05T15:10:00Z (got "${value}")`,
    );
  }
  return date;
}

export function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel || file;
}
