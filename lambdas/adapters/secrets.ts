import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretGroup } from '../contract/functions.ts';
import { ConfigurationError, optionalEnv } from './env.ts';

/**
 * A secret value: from the plain environment variable when it is set (the local runtime, tests), otherwise
 * from the JSON secret in Secrets Manager whose ARN is in `<GROUP>_SECRET_ARN` (AWS). Cached for five
 * minutes so a rotation reaches warm functions without a redeploy.
 */
const TTL_MS = 5 * 60_000;
const cache = new Map<string, { at: number; value: Record<string, string> }>();
let client: SecretsManagerClient | undefined;

export async function secret(group: SecretGroup, name: string): Promise<string> {
  const value = await optionalSecret(group, name);
  if (value === undefined) {
    throw new ConfigurationError(`Secret ${name} is not set: set ${name} or ${group}_SECRET_ARN`);
  }
  return value;
}

export async function optionalSecret(group: SecretGroup, name: string): Promise<string | undefined> {
  const direct = optionalEnv(name);
  if (direct !== undefined) return direct;
  const arn = optionalEnv(`${group}_SECRET_ARN`);
  if (arn === undefined) return undefined;
  const values = await load(arn);
  const value = values[name];
  return value === undefined || value === '' ? undefined : value;
}

async function load(arn: string): Promise<Record<string, string>> {
  const hit = cache.get(arn);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  client ??= new SecretsManagerClient({});
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(out.SecretString ?? '{}');
  } catch {
    throw new ConfigurationError(`Secret ${arn} is not a JSON object of strings`);
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new ConfigurationError(`Secret ${arn} is not a JSON object of strings`);
  }
  const value = Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  cache.set(arn, { at: Date.now(), value });
  return value;
}
