import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStepFunctions, PendingTask } from '../../../local/stepfunctions/index.ts';
import { arnOf, DomainError, rejection, sfnClient, startWith } from './helpers.ts';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';

interface Parked {
  taskToken: string;
  mode: string;
  person?: string;
}

// 60 s of callback timeout takes 0.1 s.
const TIME_SCALE = 600;

let sfn: LocalStepFunctions;
let client: SFNClient;
const parked: Parked[] = [];

beforeAll(async () => {
  sfn = await startWith(
    ['callback', 'map-callback', 'timeout-vs-taskfailed'],
    {
      park: async (event) => {
        const request = event as Parked;
        parked.push(request);
        if (request.mode === 'answer-inline') {
          await client.send(
            new SendTaskSuccessCommand({ taskToken: request.taskToken, output: '{"answeredBy":"lambda"}' }),
          );
        }
        if (request.mode === 'throw') throw new DomainError('cannot ask anyone');
        return { parked: true };
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

async function startCallback(name: string, input: Record<string, unknown>): Promise<string> {
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn: arnOf('callback'), name, input: JSON.stringify(input) }),
  );
  return executionArn!;
}

const pendingOf = (executionArn: string, count = 1): Promise<PendingTask[]> =>
  waitFor(`${count} pending task(s) of ${executionArn}`, () => {
    const pending = sfn.engine.pendingTasks(executionArn);
    return pending.length === count ? pending : undefined;
  });

const outputOf = async (executionArn: string): Promise<Record<string, unknown>> =>
  JSON.parse((await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS)).output!) as Record<
    string,
    unknown
  >;

const typesOf = async (executionArn: string): Promise<string[]> =>
  (await sfn.engine.history(executionArn)).map((e) => e.type);

describe('callback tasks (.waitForTaskToken)', () => {
  it('hands the Lambda a fresh token and resumes with the SendTaskSuccess output', async () => {
    const executionArn = await startCallback('cb-success', { mode: 'wait', waitSeconds: 3600 });
    const [task] = await pendingOf(executionArn);
    expect(task!.stateName).toBe('Wait for an answer');
    expect(task!.taskToken.length).toBeLessThanOrEqual(2048);
    expect(task!.taskToken).not.toContain('cb-success');
    expect(parked.find((p) => p.taskToken === task!.taskToken)).toBeDefined();
    expect(task!.parameters).toMatchObject({ Payload: { taskToken: task!.taskToken, mode: 'wait' } });

    await client.send(new SendTaskHeartbeatCommand({ taskToken: task!.taskToken }));
    await client.send(
      new SendTaskSuccessCommand({ taskToken: task!.taskToken, output: '{"decision":"send"}' }),
    );
    expect((await outputOf(executionArn)).answer).toEqual({ decision: 'send' });

    const types = await typesOf(executionArn);
    expect(types.slice(1, 7)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    const repeated = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: task!.taskToken, output: '{}' })),
    );
    expect(repeated.name).toBe('TaskTimedOut');
    expect(sfn.engine.pendingTasks(executionArn)).toEqual([]);
  });

  it('fails the task with the SendTaskFailure error and cause, which Catch sees', async () => {
    const executionArn = await startCallback('cb-failure', { mode: 'wait', waitSeconds: 3600 });
    const [task] = await pendingOf(executionArn);
    await client.send(
      new SendTaskFailureCommand({ taskToken: task!.taskToken, error: 'OwnerDeclined', cause: 'on holiday' }),
    );
    const output = await outputOf(executionArn);
    expect(output.failure).toEqual({ Error: 'OwnerDeclined', Cause: 'on holiday' });
    expect(await typesOf(executionArn)).toContain('TaskFailed');
    expect(sfn.engine.visitedStates(executionArn).map((v) => v.name)).toEqual([
      'Wait for an answer',
      'Answered with a failure',
    ]);
  });

  it('times out after TimeoutSecondsPath divided by timeScale; a late answer gets TaskTimedOut', async () => {
    const executionArn = await startCallback('cb-timeout', { mode: 'wait', waitSeconds: 60 });
    const [task] = await pendingOf(executionArn);
    expect(task!.timeoutAt!.getTime() - task!.startedAt.getTime()).toBe((60 * 1000) / TIME_SCALE);
    const output = await outputOf(executionArn);
    expect(output.failure).toMatchObject({ Error: 'States.Timeout' });
    const history = await sfn.engine.history(executionArn);
    const timedOut = history.find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails).toMatchObject({ error: 'States.Timeout' });
    expect(history.map((e) => e.type)).not.toContain('TaskSucceeded');

    const late = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: task!.taskToken, output: '{}' })),
    );
    expect(late.name).toBe('TaskTimedOut');
  });

  it('does not let a States.TaskFailed catcher catch a timeout', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('timeout-vs-taskfailed'), name: 'not-caught' }),
    );
    const [task] = await pendingOf(executionArn!);
    expect(task!.parameters).toMatchObject({ MessageBody: { token: task!.taskToken } });
    const error = await rejection(sfn.engine.waitForStatus(executionArn!, 'SUCCEEDED', WAIT_BOUND_MS));
    expect(error.message).toMatch(/closed as FAILED \(States\.Timeout/);
  });

  it('works when the Lambda itself calls SendTaskSuccess before returning', async () => {
    const executionArn = await startCallback('cb-inline', { mode: 'answer-inline', waitSeconds: 3600 });
    expect((await outputOf(executionArn)).answer).toEqual({ answeredBy: 'lambda' });
    const types = await typesOf(executionArn);
    expect(types.indexOf('TaskSubmitted')).toBeLessThan(types.indexOf('TaskSucceeded'));
  });

  it('fails at once with the Lambda error when the Lambda throws', async () => {
    const executionArn = await startCallback('cb-throws', { mode: 'throw', waitSeconds: 3600 });
    const output = await outputOf(executionArn);
    expect(output.failure).toMatchObject({ Error: 'DomainError' });
    expect(JSON.parse((output.failure as { Cause: string }).Cause)).toMatchObject({
      errorType: 'DomainError',
      errorMessage: 'cannot ask anyone',
    });
    const token = parked.find((p) => p.mode === 'throw')!.taskToken;
    const late = await rejection(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    expect(late.name).toBe('TaskTimedOut');
  });

  it('answers InvalidToken for a malformed or unknown token and InvalidOutput for non-JSON output', async () => {
    const malformed = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: 'not a token!', output: '{}' })),
    );
    expect(malformed.name).toBe('InvalidToken');
    const unknown = await rejection(client.send(new SendTaskHeartbeatCommand({ taskToken: 'A'.repeat(64) })));
    expect(unknown.name).toBe('InvalidToken');

    const executionArn = await startCallback('cb-bad-output', { mode: 'wait', waitSeconds: 3600 });
    const [task] = await pendingOf(executionArn);
    const badOutput = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: task!.taskToken, output: 'nope' })),
    );
    expect(badOutput.name).toBe('InvalidOutput');
    expect(sfn.engine.pendingTasks(executionArn)).toHaveLength(1);
    await sfn.engine.stopExecution({ executionArn });
    const afterStop = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: task!.taskToken, output: '{}' })),
    );
    expect(afterStop.name).toBe('TaskTimedOut');
  });
});

describe('callback tasks inside a Map', () => {
  it('gives every iteration its own token, fed through ItemSelector and $$.Map.Item.Value', async () => {
    const people = ['ada', 'grace', 'linus'];
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: arnOf('map-callback'),
        name: 'map-tokens',
        input: JSON.stringify({ people, timeoutSeconds: 3600 }),
      }),
    );
    const pending = await pendingOf(executionArn!, 3);
    const tokens = pending.map((t) => t.taskToken);
    expect(new Set(tokens).size).toBe(3);
    const byPerson = new Map(
      pending.map((t) => [(t.parameters as { Payload: { person: string } }).Payload.person, t]),
    );
    expect([...byPerson.keys()].sort()).toEqual([...people].sort());

    for (const person of people) {
      await client.send(
        new SendTaskSuccessCommand({
          taskToken: byPerson.get(person)!.taskToken,
          output: JSON.stringify({ person }),
        }),
      );
    }
    expect((await outputOf(executionArn!)).answers).toEqual(people.map((person) => ({ person })));

    const history = await sfn.engine.history(executionArn!);
    const types = history.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted']);
    expect(history[2]!.mapStateStartedEventDetails).toEqual({ length: 3 });
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(3);
    expect(types.slice(-3)).toEqual(['MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    // Every task's events follow its state's entry.
    let entered = 0;
    for (const type of types) {
      if (type === 'TaskStateEntered') entered += 1;
      if (type === 'TaskScheduled') entered -= 1;
      expect(entered).toBeGreaterThanOrEqual(0);
    }
    const visits = sfn.engine.visitedStates(executionArn!);
    expect(visits[0]).toMatchObject({ name: 'Ask everyone', type: 'Map', iterations: 3 });
    expect(
      visits
        .filter((v) => v.taskKind === 'callback')
        .map((v) => v.mapIndex)
        .sort(),
    ).toEqual([0, 1, 2]);
  });

  it('drops the other iterations when one fails: their tokens stop waiting', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: arnOf('map-callback'),
        name: 'map-failure',
        input: JSON.stringify({ people: ['ada', 'grace', 'linus'], timeoutSeconds: 3600 }),
      }),
    );
    const [first, ...others] = await pendingOf(executionArn!, 3);
    await client.send(
      new SendTaskFailureCommand({ taskToken: first!.taskToken, error: 'Unreachable', cause: 'no DM' }),
    );
    expect((await outputOf(executionArn!)).failure).toEqual({ Error: 'Unreachable', Cause: 'no DM' });
    expect(sfn.engine.pendingTasks(executionArn)).toEqual([]);
    for (const task of others) {
      const late = await rejection(
        client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' })),
      );
      expect(late.name).toBe('TaskTimedOut');
    }
    const types = (await sfn.engine.history(executionArn!)).map((e) => e.type);
    expect(types.filter((t) => t === 'MapIterationFailed')).toHaveLength(1);
    expect(types.filter((t) => t === 'MapIterationAborted')).toHaveLength(2);
    expect(types.slice(-5)).toEqual([
      'MapStateFailed',
      'MapStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });
});
