import { TransformParameterError } from '@aws-lambda-powertools/parameters/errors';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretGroup } from '../contract/functions.ts';
import { ConfigurationError, optionalEnv } from './env.ts';

/**
 * A secret value: from the plain environment variable when it is set (the local runtime, tests), otherwise
 * from the JSON secret in Secrets Manager whose ARN is in `<GROUP>_SECRET_ARN` (AWS), through Powertools
 * Parameters. One GetSecretValue per secret on a cold start, however many keys are asked for at once (the
 * SMS sender reads four together); the parsed secret is then cached for five minutes, so a value an
 * operator changed reaches warm functions without a redeploy.
 */
export const SECRET_MAX_AGE_SECONDS = 5 * 60;

let provider: SecretsProvider | undefined;
/** Reads in flight: the provider caches a value only once it has it, so concurrent first reads join here. */
const inFlight = new Map<string, Promise<Record<string, unknown>>>();

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
  const value = (await load(arn))[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function load(arn: string): Promise<Record<string, unknown>> {
  let pending = inFlight.get(arn);
  if (!pending) {
    pending = fetchSecret(arn).finally(() => inFlight.delete(arn));
    inFlight.set(arn, pending);
  }
  return pending;
}

async function fetchSecret(arn: string): Promise<Record<string, unknown>> {
  provider ??= new SecretsProvider();
  let parsed: unknown;
  try {
    parsed = await provider.get(arn, { transform: 'json', maxAge: SECRET_MAX_AGE_SECONDS });
  } catch (error) {
    if (error instanceof TransformParameterError) throw notAnObject(arn);
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw notAnObject(arn);
  return parsed as Record<string, unknown>;
}

const notAnObject = (arn: string) => new ConfigurationError(`Secret ${arn} is not a JSON object of strings`);
