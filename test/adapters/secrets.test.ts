import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as SecretsAdapter from '../../lambdas/adapters/secrets.ts';
import { startSecretsManagerStandIn, type SecretsManagerStandIn } from '../../local/secrets-manager.ts';

/**
 * The AWS path of the secrets adapter: the real Secrets Manager client (through Powertools Parameters)
 * against a GetSecretValue stand-in, counting the reads a cold function makes.
 */
let sm: SecretsManagerStandIn;
/** Imported once the endpoint variable is set, as a Lambda's module is loaded with its environment. */
let secrets: typeof SecretsAdapter;
const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:test/${name}`;
const TWILIO_KEYS = [
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_MESSAGING_SERVICE_SID',
  'TWILIO_FROM_NUMBER',
] as const;

beforeAll(async () => {
  sm = await startSecretsManagerStandIn();
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = sm.url;
  for (const name of [...TWILIO_KEYS, 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']) delete process.env[name];
  secrets = await import('../../lambdas/adapters/secrets.ts');
});
afterAll(() => sm.close());
afterEach(() => {
  vi.useRealTimers();
  delete process.env.TWILIO_SECRET_ARN;
  delete process.env.SLACK_SECRET_ARN;
});

describe('secrets from Secrets Manager', () => {
  it('reads a secret once however many of its keys a cold function asks for at once', async () => {
    const id = arn('twilio-once');
    sm.put(
      id,
      JSON.stringify({ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM_NUMBER: '' }),
    );
    process.env.TWILIO_SECRET_ARN = id;
    const values = await Promise.all(TWILIO_KEYS.map((key) => secrets.optionalSecret('TWILIO', key)));
    expect(values).toEqual(['AC1', 'tok', undefined, undefined]);
    expect(sm.reads(id)).toBe(1);
    expect(await secrets.secret('TWILIO', 'TWILIO_AUTH_TOKEN')).toBe('tok');
    expect(sm.reads(id)).toBe(1);
  });

  it('reads it again once the cache is older than its max age, so a filled-in value arrives', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const id = arn('slack-rotated');
    sm.put(id, JSON.stringify({ SLACK_BOT_TOKEN: '' }));
    process.env.SLACK_SECRET_ARN = id;
    await expect(secrets.secret('SLACK', 'SLACK_BOT_TOKEN')).rejects.toThrow(
      'Secret SLACK_BOT_TOKEN is not set: set SLACK_BOT_TOKEN or SLACK_SECRET_ARN',
    );
    sm.put(id, JSON.stringify({ SLACK_BOT_TOKEN: 'xoxb-filled' }));
    vi.setSystemTime(Date.now() + (secrets.SECRET_MAX_AGE_SECONDS - 1) * 1000);
    await expect(secrets.optionalSecret('SLACK', 'SLACK_BOT_TOKEN')).resolves.toBeUndefined();
    vi.setSystemTime(Date.now() + 2000);
    await expect(secrets.secret('SLACK', 'SLACK_BOT_TOKEN')).resolves.toBe('xoxb-filled');
    expect(sm.reads(id)).toBe(2);
  });

  it('prefers the plain variable and reads nothing then', async () => {
    const id = arn('slack-env');
    sm.put(id, JSON.stringify({ SLACK_SIGNING_SECRET: 'from-secret' }));
    process.env.SLACK_SECRET_ARN = id;
    process.env.SLACK_SIGNING_SECRET = 'from-env';
    try {
      expect(await secrets.secret('SLACK', 'SLACK_SIGNING_SECRET')).toBe('from-env');
      expect(sm.reads(id)).toBe(0);
    } finally {
      delete process.env.SLACK_SIGNING_SECRET;
    }
  });

  it('names the secret that is not a JSON object', async () => {
    for (const [name, value] of [
      ['not-json', 'xoxb-plain'],
      ['array', '["a"]'],
    ]) {
      const id = arn(name as string);
      sm.put(id, value as string);
      process.env.SLACK_SECRET_ARN = id;
      await expect(secrets.secret('SLACK', 'SLACK_BOT_TOKEN')).rejects.toThrow(
        `Secret ${id} is not a JSON object of strings`,
      );
    }
  });

  it('says which secret is missing when there is neither a variable nor an ARN', async () => {
    await expect(secrets.secret('TWILIO', 'TWILIO_AUTH_TOKEN')).rejects.toThrow(
      'Secret TWILIO_AUTH_TOKEN is not set: set TWILIO_AUTH_TOKEN or TWILIO_SECRET_ARN',
    );
  });
});
