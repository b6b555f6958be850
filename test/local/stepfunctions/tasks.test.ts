import { StartExecutionCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions/index.ts';
import { arnOf, DomainError, fixture, rejection, sfnClient, startWith, TransientError } from './helpers.ts';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';

// 60 s of Wait take 0.1 s.
const TIME_SCALE = 600;

let sfn: LocalStepFunctions;
let client: SFNClient;
const attempts = new Map<string, number>();

beforeAll(async () => {
  sfn = await startWith(
    ['retry-catch', 'wait', 'machine-timeout', 'endless-loop'],
    {
      // Fails with the listed errors in turn, then succeeds.
      flaky: async (event) => {
        const { key, failures } = event as { key: string; failures: string[] };
        const attempt = attempts.get(key) ?? 0;
        attempts.set(key, attempt + 1);
        const failure = failures[attempt];
        if (failure === 'TransientError') throw new TransientError(`attempt ${attempt + 1} failed`);
        if (failure === 'DomainError') throw new DomainError('the account is closed');
        if (failure) throw Object.assign(new Error(`attempt ${attempt + 1} broke`), { name: failure });
        return { attempts: attempt + 1 };
      },
    },
    { timeScale: TIME_SCALE },
  );
  client = sfnClient(sfn.url);
});

afterAll(async () => {
  client?.destroy();
  await sfn?.close();
});

const start = async (machine: string, name: string, input: unknown): Promise<string> =>
  (
    await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf(machine), name, input: JSON.stringify(input) }),
    )
  ).executionArn!;

describe('lambda:invoke errors', () => {
  it('catches a domain error by its class name, with an AWS-shaped cause', async () => {
    const executionArn = await start('retry-catch', 'domain-error', { failures: ['DomainError'] });
    const described = await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS);
    const failure = (JSON.parse(described.output!) as { failure: { Error: string; Cause: string } }).failure;
    expect(failure.Error).toBe('DomainError');
    const cause = JSON.parse(failure.Cause) as { errorType: string; errorMessage: string; trace: string[] };
    expect(cause).toMatchObject({ errorType: 'DomainError', errorMessage: 'the account is closed' });
    expect(cause.trace[0]).toContain('DomainError: the account is closed');
    const failed = (await sfn.engine.history(executionArn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'DomainError', resourceType: 'lambda' });
    expect(sfn.engine.visitedStates(executionArn).map((v) => [v.name, v.outcome])).toEqual([
      ['Call the flaky function', 'caught'],
      ['Handle the domain error', 'succeeded'],
    ]);
  });

  it('retries the errors its Retry names, and each attempt shows in the history', async () => {
    const executionArn = await start('retry-catch', 'transient', { failures: ['TransientError'] });
    const described = await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS);
    expect(JSON.parse(described.output!)).toEqual({ attempts: 2 });
    const types = (await sfn.engine.history(executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === 'TaskScheduled')).toHaveLength(2);
    expect(types.filter((t) => t === 'TaskFailed')).toHaveLength(1);
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(1);
    expect(sfn.engine.visitedStates(executionArn)[0]).toMatchObject({ retries: 1, taskKind: 'lambda' });
  });

  it('fails the execution with the error when nothing catches it', async () => {
    const executionArn = await start('retry-catch', 'uncaught', { failures: ['UnexpectedError'] });
    const error = await rejection(sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS));
    expect(error.message).toMatch(/closed as FAILED \(UnexpectedError: /);
    const described = await sfn.engine.describeExecution({ executionArn });
    expect(described.error).toBe('UnexpectedError');
    expect(JSON.parse(described.cause!)).toMatchObject({ errorMessage: 'attempt 1 broke' });
    const types = (await sfn.engine.history(executionArn)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['TaskFailed', 'ExecutionFailed']);
  });
});

describe('Wait states', () => {
  it('waits SecondsPath divided by timeScale', async () => {
    const executionArn = await start('wait', 'short-wait', { seconds: 60 });
    const described = await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS);
    expect(described.stopDate!.getTime() - described.startDate.getTime()).toBeGreaterThanOrEqual(90);
    expect(JSON.parse(described.output!)).toEqual({ seconds: 60, result: 'waited' });
    const types = (await sfn.engine.history(executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(sfn.engine.visitedStates(executionArn)[0]).toMatchObject({ type: 'Wait', taskKind: 'wait' });
  });
});

describe('StopExecution', () => {
  it('aborts the execution and cancels its wait', async () => {
    const executionArn = await start('wait', 'stopped-wait', { seconds: 3600 * 24 * 365 });
    await waitFor('the Wait state to be entered', () =>
      sfn.engine.visitedStates(executionArn).length > 0 ? true : undefined,
    );
    const { stopDate } = await client.send(
      new StopExecutionCommand({ executionArn, error: 'Operator.Stop', cause: 'no longer needed' }),
    );
    expect(stopDate).toBeInstanceOf(Date);
    const described = await sfn.engine.waitForStatus(executionArn, 'ABORTED', WAIT_BOUND_MS);
    expect(described).toMatchObject({ error: 'Operator.Stop', cause: 'no longer needed' });
    const types = await waitFor('the abort in the history', async () => {
      const seen = (await sfn.engine.history(executionArn)).map((e) => e.type);
      return seen.includes('ExecutionAborted') ? seen : undefined;
    });
    expect(types).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateAborted', 'ExecutionAborted']);
  });
});

describe('machine TimeoutSeconds', () => {
  it('times the execution out (not scaled) and drops its waiting task', async () => {
    const executionArn = await start('machine-timeout', 'too-slow', {});
    const [task] = await waitFor('the callback to be pending', () => {
      const pending = sfn.engine.pendingTasks(executionArn);
      return pending.length ? pending : undefined;
    });
    const described = await sfn.engine.waitForStatus(executionArn, 'TIMED_OUT', WAIT_BOUND_MS);
    expect(described.error).toBe('States.Timeout');
    expect(described.stopDate!.getTime() - described.startDate.getTime()).toBeGreaterThanOrEqual(950);
    expect((await sfn.engine.history(executionArn)).map((e) => e.type).slice(-2)).toEqual([
      'TaskStateAborted',
      'ExecutionTimedOut',
    ]);
    const late = await rejection(sfn.engine.sendTaskSuccess({ taskToken: task!.taskToken, output: '{}' }));
    expect(late.name).toBe('TaskTimedOut');
  });
});

describe('the history limit', () => {
  it('fails an execution whose history reaches 25,000 events, as AWS does', async () => {
    const executionArn = await start('endless-loop', 'endless', {});
    const error = await rejection(sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS));
    expect(error.message).toMatch(/closed as FAILED \(States\.Runtime: .*maximum number of history events/);
    const history = await sfn.engine.history(executionArn);
    expect(history).toHaveLength(25_000);
    expect(history.at(-1)!.type).toBe('ExecutionFailed');
  });
});

describe('definitions the local runtime cannot serve', () => {
  it('are refused at start, naming the machine, state and resource', async () => {
    const definition = {
      StartAt: 'Put the item',
      States: {
        'Put the item': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {},
          End: true,
        },
      },
    };
    const error = await rejection(
      startStepFunctions({
        machines: [{ name: 'ddb', definition }],
        resolveLambda: () => Promise.reject(new Error('none')),
      }),
    );
    expect(error.message).toMatch(/"ddb".*"Put the item".*arn:aws:states:::dynamodb:putItem/);
  });

  it('are refused when not valid ASL', async () => {
    const broken = { ...fixture('echo').definition, StartAt: 'Nowhere' };
    const error = await rejection(
      startStepFunctions({
        machines: [{ name: 'broken', definition: broken }],
        resolveLambda: () => Promise.reject(new Error('none')),
      }),
    );
    expect(error.message).toMatch(/"broken" is not valid ASL/);
  });
});
