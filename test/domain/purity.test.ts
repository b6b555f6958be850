import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = 'lambdas/core';
const files = readdirSync(CORE).filter((f) => f.endsWith('.ts'));

/** The core is the handbook as code: no I/O, no AWS types, no clock, no environment. */
describe.each(files)('lambdas/core/%s', (file) => {
  const source = readFileSync(path.join(CORE, file), 'utf8');

  it('imports only zod and other core files', () => {
    const imports = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map(
      (m) => m[1],
    );
    for (const specifier of imports) expect(specifier, file).toMatch(/^(zod|\.\/[\w-]+\.ts)$/);
  });

  it('reads no clock, environment or global state', () => {
    expect(source).not.toMatch(/Date\.now\(|new Date\(\)|process\.|globalThis|require\(|import\(/);
  });

  it('stays small', () => {
    expect(source.split('\n').length).toBeLessThanOrEqual(350);
  });
});
