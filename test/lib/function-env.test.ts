import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, functionName } from '../../lambdas/contract/functions.ts';
import type { FunctionName } from '../../lambdas/contract/functions.ts';
import { bundledStack, type BundledStack } from './bundles/bundled-stack.ts';
import { BUILD_LIMIT_MS } from './bundles/files.ts';
import { bundleReads, envReadsInSources } from './env-reads.ts';
import type { EnvRead } from './env-reads.ts';
import { TEST_CONFIG } from './synth.ts';
import { functionsByName, resource, targetOf } from './template-helpers.ts';

/**
 * Read by the code but deliberately not set in AWS. A new optional variable must be either given by the
 * stack or listed here with the reason, so none is forgotten silently.
 */
const NOT_DEPLOYED: Readonly<Record<string, string>> = {
  SLACK_API_URL: 'points the Slack client at the local stand-in; deployed, it talks to slack.com',
  TWILIO_API_URL: 'points the Twilio client at the local stand-in; deployed, it talks to api.twilio.com',
  DELIVERY_LEASE_SECONDS: 'shortens the delivery lease in crash tests; deployed, the default applies',
};
/** Set by the stack on every function but read by the platform, not by name in the handler code. */
const PLATFORM: Readonly<Record<string, string>> = {
  NODE_OPTIONS: 'read by Node itself (source-mapped stack traces)',
  POWERTOOLS_SERVICE_NAME: 'names the stack in every log line, whichever function logs',
};

let synth: BundledStack;
// These tests read the bundles that would deploy: the run's one synthesis with esbuild (bundles/).
beforeAll(
  async () => {
    synth = await bundledStack();
  },
  BUILD_LIMIT_MS + 2 * 60_000,
);
const catalog = envReadsInSources();

function bundleOf(dir: FunctionName): { text: string; dir: string } {
  const bundleDir = synth.bundleDir(dir);
  return { text: readFileSync(path.join(bundleDir, 'index.mjs'), 'utf8'), dir: bundleDir };
}
function environmentOf(dir: FunctionName): Record<string, unknown> {
  const id = functionsByName(synth.template).get(functionName(TEST_CONFIG.stackName, dir))!;
  return (resource(synth.template, id).Properties?.Environment as { Variables: Record<string, unknown> })
    .Variables;
}
/** Keys of the secret a `<GROUP>_SECRET_ARN` variable points at, as the template creates it. */
function secretKeys(arn: unknown): string[] {
  const secret = resource(synth.template, targetOf(arn)!);
  const generated = secret.Properties?.GenerateSecretString as { SecretStringTemplate: string };
  return Object.keys(JSON.parse(generated.SecretStringTemplate) as object);
}
function readsOf(dir: FunctionName): EnvRead[] {
  const bundle = bundleOf(dir).text;
  const seen = new Map<string, EnvRead>();
  for (const read of catalog.reads.filter((r) => bundleReads(bundle, r.name))) {
    const key = `${read.from}:${read.name}`;
    // Required anywhere it is read means required.
    if (!seen.get(key)?.required) seen.set(key, read);
  }
  return [...seen.values()];
}

describe('what the code reads', () => {
  it('reads every variable and secret key by a literal name the test can see', () => {
    expect(catalog.hidden).toEqual([]);
    const names = new Set(catalog.reads.map((r) => r.name));
    for (const name of ['TABLE_NAME', 'SES_FROM_ADDRESS', 'SLACK_BOT_TOKEN', 'TWILIO_AUTH_TOKEN'])
      expect(names, `catalog lacks ${name}`).toContain(name);
  });

  it('lists only variables the code still reads as not deployed', () => {
    const read = new Set(catalog.reads.map((r) => r.name));
    expect(Object.keys(NOT_DEPLOYED).filter((name) => !read.has(name))).toEqual([]);
  });
});

describe.each(FUNCTIONS.map((f) => [f.name] as const))('%s', (dir) => {
  it('is bundled as minified ESM with a source map', () => {
    const bundle = bundleOf(dir);
    expect(bundle.text.startsWith('import { createRequire as __bundleCreateRequire }')).toBe(true);
    expect(bundle.text).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(existsSync(path.join(bundle.dir, 'index.mjs.map'))).toBe(true);
    // Minified code runs to thousands of characters a line (multi-line string literals aside);
    // unminified esbuild output averages well under a hundred.
    expect(bundle.text.length / bundle.text.split('\n').length).toBeGreaterThan(500);
  });

  it('is given every variable it reads, or it is one that stays unset in AWS', () => {
    const env = environmentOf(dir);
    const reads = readsOf(dir).filter((r) => r.from === 'env');
    const missing = reads
      .filter((r) => !(r.name in env) && (r.required || !(r.name in NOT_DEPLOYED)))
      .map((r) => `${r.name} (${r.required ? 'required' : 'optional'}, ${r.where})`);
    expect(missing).toEqual([]);
    for (const r of reads.filter((x) => x.name in NOT_DEPLOYED)) expect(env).not.toHaveProperty(r.name);
  });

  it('can find every secret key it reads in a secret it is given', () => {
    const env = environmentOf(dir);
    const missing = readsOf(dir)
      .filter((r) => r.from !== 'env')
      .filter((r) => {
        const arn = env[`${r.from}_SECRET_ARN`];
        return arn === undefined || !secretKeys(arn).includes(r.name);
      })
      .map((r) => `${r.from}/${r.name} (${r.where})`);
    expect(missing).toEqual([]);
  });

  it('reads every variable it is given', () => {
    const reads = readsOf(dir);
    const unread = Object.keys(environmentOf(dir)).filter((name) => {
      if (name in PLATFORM) return false;
      const group = /^([A-Z]+)_SECRET_ARN$/.exec(name)?.[1];
      if (group) return !reads.some((r) => r.from === group);
      return !reads.some((r) => r.from === 'env' && r.name === name);
    });
    expect(unread).toEqual([]);
  });
});
