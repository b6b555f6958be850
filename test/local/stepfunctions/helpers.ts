import { readFileSync } from 'node:fs';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  startStepFunctions,
  stateMachineArn,
  type LocalLambdaHandler,
  type LocalStateMachine,
  type LocalStepFunctions,
  type StepFunctionsOptions,
} from '../../../local/stepfunctions/index.ts';

const FIXTURES = new URL('../../fixtures/asl/', import.meta.url);

/** A fixture ASL file from test/fixtures/asl, served under its file name (without .asl.json). */
export function fixture(name: string): LocalStateMachine {
  const text = readFileSync(new URL(`${name}.asl.json`, FIXTURES), 'utf8');
  return { name, definition: JSON.parse(text) as Record<string, unknown> };
}

export const arnOf = (machine: string): string => stateMachineArn(machine);

/** The real SDK client, pointed at the local service, with dummy credentials. */
export function sfnClient(url: string): SFNClient {
  return new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** Starts the service with fixtures and handlers looked up by function name (the part after `function:`). */
export function startWith(
  machines: string[],
  handlers: Record<string, LocalLambdaHandler>,
  options: Partial<StepFunctionsOptions> = {},
): Promise<LocalStepFunctions> {
  return startStepFunctions({
    machines: machines.map(fixture),
    resolveLambda: async (functionNameOrArn) => {
      const name = functionNameOrArn.split(':function:').at(-1) ?? functionNameOrArn;
      const handler = handlers[name];
      if (!handler) throw new Error(`no test handler for ${functionNameOrArn}`);
      return handler;
    },
    ...options,
  });
}

export class DomainError extends Error {
  override name = 'DomainError';
}

export class TransientError extends Error {
  override name = 'TransientError';
}

/** Awaits a promise expected to reject, and returns the error for assertions. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { name: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, it succeeded');
}
