import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  LambdaLikeContext,
  LocalLambdaHandler,
  LocalStepFunctions,
} from '../../../local/stepfunctions/index.ts';
import { arnOf, startWith } from './helpers.ts';
import { WAIT_BOUND_MS } from '../../../local/driver.ts';

let seen: { event: { name: string }; context: Context; remainingMs: number; readBy: number } | undefined;

// Written against the aws-lambda types, as the product's handlers are: it must fit LocalLambdaHandler as it is.
const typedHandler = async (
  event: { name: string },
  context: Context,
): Promise<{ name: string; greeting: string }> => {
  const remainingMs = context.getRemainingTimeInMillis();
  seen = { event, context, remainingMs, readBy: Date.now() };
  return { name: event.name, greeting: `hello ${event.name}` };
};

let sfn: LocalStepFunctions;

beforeAll(async () => {
  const echo: LocalLambdaHandler = typedHandler;
  sfn = await startWith(['echo'], { echo });
});

afterAll(async () => {
  await sfn?.close();
});

describe('the Lambda-like context', () => {
  it('is a valid aws-lambda Context with the function named from its ARN', async () => {
    const context: Context = {} as LambdaLikeContext;
    expect(context).toBeDefined();
    const before = Date.now();
    const { executionArn } = await sfn.engine.startExecution({
      stateMachineArn: arnOf('echo'),
      input: '{"name":"ada"}',
    });
    const described = await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS);
    expect(JSON.parse(described.output!)).toEqual({ name: 'ada', greeting: 'hello ada' });
    expect(seen!.context).toMatchObject({
      functionName: 'echo',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
      logGroupName: '/aws/lambda/echo',
    });
    expect(seen!.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    // The state's TimeoutSeconds (30) bounds the time left: the task started after `before`, and the
    // handler read its time left before `readBy`.
    expect(seen!.remainingMs).toBeGreaterThanOrEqual(30_000 - (seen!.readBy - before));
    expect(seen!.remainingMs).toBeLessThanOrEqual(30_000);
  });
});
