/**
 * Builds the stack the way `npx cdk synth` does: cdk.json's feature flags, the config keys of
 * lib/config.ts. Synthesis with bundling runs esbuild once per function, so it happens once per test
 * run (test/lib/bundles/), and the tests that read bundles share it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../../lib/config.ts';
import { IncidentCommsStack } from '../../lib/incident-comms-stack.ts';

export const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const TEST_CONFIG = {
  stackName: 'CommsTest',
  companyName: 'Acme Test',
  logRetentionDays: '30',
  alarmEmail: 'oncall@example.com',
  // Every optional setting is set, so the tests see everything the stack can configure.
  sesFromAddress: 'status@acme-test.example',
  sesConfigurationSet: 'acme-incident-comms',
  twilioStatusCallbackUrl: 'https://comms.acme-test.example/webhooks/twilio/status',
} as const;

export interface Synthesized {
  readonly stack: IncidentCommsStack;
  readonly template: Template;
}

export function synthStack(options: {
  /** false skips esbuild (CDK's `aws:cdk:bundling-stacks`), for tests that do not look at code. */
  readonly bundle: boolean;
  readonly context?: Readonly<Record<string, unknown>>;
  /** Where the cloud assembly (and so the bundles) is written; a temporary directory by default. */
  readonly outdir?: string;
}): Synthesized {
  const flags = (JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: object })
    .context;
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...flags,
      ...TEST_CONFIG,
      ...options.context,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const config = readConfig({ context: (key) => app.node.tryGetContext(key) as unknown, env: {} });
  const stack = new IncidentCommsStack(app, config.stackName, { config });
  return { stack, template: Template.fromStack(stack) };
}
