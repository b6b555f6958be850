import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DOMAIN = 'lambdas/domain';
const files = readdirSync(DOMAIN, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

/**
 * The domain is the handbook as code: no I/O, no AWS types, no clock, no environment. The lint rule
 * (eslint/boundaries.js) keeps other layers out; this also keeps packages and ambient state out.
 */
describe.each(files)('lambdas/domain/%s', (file) => {
  const source = readFileSync(path.join(DOMAIN, file), 'utf8');

  it('imports only zod, the contract and other domain files', () => {
    const imports = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map(
      (m) => m[1] ?? '',
    );
    for (const specifier of imports) {
      if (/^zod(\/mini|\/locales)?$/.test(specifier)) continue;
      const target = path.posix.join(path.posix.dirname(`${DOMAIN}/${file}`), specifier);
      expect(target, `${file} imports ${specifier}`).toMatch(/^lambdas\/(domain|contract)\/[\w/-]+\.ts$/);
    }
  });

  it('reads no clock, environment or global state', () => {
    expect(source).not.toMatch(/Date\.now\(|new Date\(\)|process\.|globalThis|require\(|import\(/);
  });

  it('stays small', () => {
    expect(source.split('\n').length).toBeLessThanOrEqual(350);
  });
});
