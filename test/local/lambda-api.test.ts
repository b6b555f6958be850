import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../local/driver.ts';
import { startLambdaApi, type LocalFunction, type LocalLambdaApi } from '../../local/lambda-api.ts';
import { lambdaContext } from '../../local/stepfunctions/index.ts';

/**
 * The local Lambda Invoke API (local/lambda-api.ts) through the real @aws-sdk/client-lambda: synchronous
 * results and function errors as Lambda reports them, and asynchronous events run in the background with
 * Lambda's retry semantics — retried up to the function's maximum, then dead-lettered with the record an
 * on-failure destination gets.
 */
const target = {
  resolveLambda: () => Promise.reject(new Error('unused')),
  region: 'us-east-1',
  accountId: '000000000000',
};
const runs: { name: string; event: unknown }[] = [];
/** How many times `flaky` still fails before it succeeds. */
let flakyFailures = 0;
let releaseSlow: () => void = () => undefined;

const handlers: Record<string, (event: unknown) => Promise<unknown>> = {
  echo: (event) => Promise.resolve({ got: event }),
  broken: () => Promise.reject(Object.assign(new Error('always broken'), { name: 'BrokenError' })),
  flaky: () => {
    if (flakyFailures-- > 0) return Promise.reject(new Error('not yet'));
    return Promise.resolve('fine');
  },
  slow: () => new Promise((resolve) => (releaseSlow = () => resolve('released'))),
  hangs: () => new Promise(() => undefined),
};

function find(name: string): LocalFunction | undefined {
  const run = handlers[name];
  if (!run) return undefined;
  return {
    name,
    timeoutSeconds: name === 'hangs' ? 1 : 30,
    ...(name === 'broken' ? { followUp: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 1800 } } : {}),
    ...(name === 'flaky' ? { followUp: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 1800 } } : {}),
    handler: () =>
      Promise.resolve((event: unknown) => {
        runs.push({ name, event });
        return run(event);
      }),
    context: () => lambdaContext(name, target, 30),
  };
}

let api: LocalLambdaApi;
let lambda: LambdaClient;
beforeAll(async () => {
  api = await startLambdaApi({ find, retryDelaysMs: [20, 40] });
  lambda = new LambdaClient({
    endpoint: api.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  await api?.close();
});

const invoke = (name: string, payload: unknown, type?: 'Event' | 'DryRun') =>
  lambda.send(
    new InvokeCommand({
      FunctionName: name,
      ...(type ? { InvocationType: type } : {}),
      Payload: Buffer.from(JSON.stringify(payload)),
    }),
  );
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const runsOf = (name: string) => runs.filter((r) => r.name === name);

describe('synchronous invocations', () => {
  it('answer the handler’s result', async () => {
    const out = await invoke('echo', { a: 1 });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(text(out.Payload))).toEqual({ got: { a: 1 } });
  });

  it('report a thrown error as a function error, not an API error', async () => {
    const out = await invoke('broken', {});
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(out.Payload))).toMatchObject({
      errorType: 'BrokenError',
      errorMessage: 'always broken',
    });
  });

  it('report a function past its timeout as Sandbox.Timedout', async () => {
    const out = await invoke('hangs', {});
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(out.Payload))).toMatchObject({ errorType: 'Sandbox.Timedout' });
  });

  it('an unknown function, by name or ARN, is ResourceNotFoundException', async () => {
    await expect(invoke('nobody', {})).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(invoke('arn:aws:lambda:us-east-1:000000000000:function:nobody', {})).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('a function named by ARN or partial ARN is found', async () => {
    for (const name of [
      'arn:aws:lambda:us-east-1:000000000000:function:echo',
      '000000000000:function:echo',
    ]) {
      expect(JSON.parse(text((await invoke(name, 'x')).Payload))).toEqual({ got: 'x' });
    }
  });
});

describe('asynchronous invocations ("Event")', () => {
  it('are answered 202 before the handler has finished, which then runs to its end', async () => {
    const before = runsOf('slow').length;
    const out = await invoke('slow', { n: 1 }, 'Event');
    expect(out.StatusCode).toBe(202);
    // Answered while the handler is still held: it cannot have finished.
    expect(api.pending()).toBeGreaterThan(0);
    await waitFor('the slow handler to start', () => (runsOf('slow').length > before ? true : undefined));
    releaseSlow();
    await waitFor('the queue to drain', () => (api.pending() === 0 ? true : undefined));
    expect(api.deadLetters().filter((d) => (d.requestPayload as { n?: number }).n === 1)).toEqual([]);
  });

  it('a failure is retried; success on a retry leaves no dead letter', async () => {
    flakyFailures = 1;
    const before = runsOf('flaky').length;
    await invoke('flaky', { id: 'f1' }, 'Event');
    await waitFor('the retry to succeed', () =>
      runsOf('flaky').length === before + 2 && api.pending() === 0 ? true : undefined,
    );
    expect(api.deadLetters().some((d) => JSON.stringify(d.requestPayload).includes('f1'))).toBe(false);
  });

  it('after its last retry an event is dead-lettered, as an on-failure destination records it', async () => {
    const before = runsOf('broken').length;
    await invoke('broken', { id: 'b1' }, 'Event');
    const letter = await waitFor('the dead letter', () =>
      api.deadLetters().find((d) => JSON.stringify(d.requestPayload).includes('b1')),
    );
    expect(runsOf('broken').length - before).toBe(3); // the first try and two retries
    expect(letter).toMatchObject({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { id: 'b1' },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'BrokenError', errorMessage: 'always broken' },
    });
    expect(letter.requestContext.functionArn).toMatch(/:function:broken:\$LATEST$/);
    const listed = (await (await fetch(`${api.url}/dead-letters`)).json()) as unknown[];
    expect(listed).toContainEqual(letter);
  });

  it('DryRun checks the function and runs nothing', async () => {
    const before = runs.length;
    expect((await invoke('echo', {}, 'DryRun')).StatusCode).toBe(204);
    expect(runs.length).toBe(before);
  });
});

describe('SLACK_DELAY_MS (npm start)', () => {
  it('is a whole number of milliseconds, or a precise error naming the variable', async () => {
    const { slackDelayFromEnv, OptionsError } = await import('../../local/options.ts');
    expect(slackDelayFromEnv({})).toBeUndefined();
    expect(slackDelayFromEnv({ SLACK_DELAY_MS: '1500' })).toBe(1500);
    for (const bad of ['-1', '1.5', 'slow', '600000']) {
      expect(() => slackDelayFromEnv({ SLACK_DELAY_MS: bad })).toThrow(OptionsError);
      expect(() => slackDelayFromEnv({ SLACK_DELAY_MS: bad })).toThrow(/SLACK_DELAY_MS .*"/);
    }
  });
});
