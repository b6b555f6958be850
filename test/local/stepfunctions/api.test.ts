import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStepFunctions } from '../../../local/stepfunctions/index.ts';
import { arnOf, rejection, sfnClient, startWith } from './helpers.ts';
import { WAIT_BOUND_MS } from '../../../local/driver.ts';

let sfn: LocalStepFunctions;
let client: SFNClient;

beforeAll(async () => {
  sfn = await startWith(['echo', 'callback'], {
    echo: async (event) => ({ ...(event as object), echoed: true }),
    park: async () => ({ parked: true }),
  });
  client = sfnClient(sfn.url);
});

afterAll(async () => {
  client?.destroy();
  await sfn?.close();
});

describe('StartExecution / DescribeExecution', () => {
  it('runs a machine to its output, visible through the SDK', async () => {
    const { executionArn, startDate } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: arnOf('echo'),
        name: 'run-1',
        input: '{"name":"friend"}',
      }),
    );
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:echo:run-1');
    expect(startDate).toBeInstanceOf(Date);
    await sfn.engine.waitForStatus(executionArn!, 'SUCCEEDED', WAIT_BOUND_MS);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(described.name).toBe('run-1');
    expect(described.stateMachineArn).toBe(arnOf('echo'));
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime());
    expect(JSON.parse(described.output!)).toEqual({
      greeting: 'hello',
      name: 'friend',
      executionName: 'run-1',
      echoed: true,
    });
  });

  it('treats the same name and input while running as the same start, anything else as a clash', async () => {
    const input = '{"mode":"wait","waitSeconds":3600}';
    const first = await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('callback'), name: 'same', input }),
    );
    const again = await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('callback'), name: 'same', input }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);

    const otherInput = await rejection(
      client.send(
        new StartExecutionCommand({
          stateMachineArn: arnOf('callback'),
          name: 'same',
          input: '{"mode":"x"}',
        }),
      ),
    );
    expect(otherInput.name).toBe('ExecutionAlreadyExists');

    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    const afterClose = await rejection(
      client.send(new StartExecutionCommand({ stateMachineArn: arnOf('callback'), name: 'same', input })),
    );
    expect(afterClose.name).toBe('ExecutionAlreadyExists');
  });

  it('names an execution with a uuid when no name is given', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('echo'), input: '{"name":"x"}' }),
    );
    expect(executionArn).toMatch(/:execution:echo:[0-9a-f-]{36}$/);
  });

  it.each([
    ['has a space', 'InvalidName'],
    ['a'.repeat(81), 'InvalidName'],
    ['', 'InvalidName'],
  ])('refuses the name %j with %s', async (name, code) => {
    const error = await rejection(
      client.send(new StartExecutionCommand({ stateMachineArn: arnOf('echo'), name })),
    );
    expect(error.name).toBe(code);
  });

  it.each(['not json', '[1,2]', '"text"'])(
    'refuses the input %j with InvalidExecutionInput',
    async (input) => {
      const error = await rejection(
        client.send(new StartExecutionCommand({ stateMachineArn: arnOf('echo'), input })),
      );
      expect(error.name).toBe('InvalidExecutionInput');
    },
  );

  it('answers StateMachineDoesNotExist, ExecutionDoesNotExist and InvalidArn like AWS', async () => {
    const noMachine = await rejection(
      client.send(new StartExecutionCommand({ stateMachineArn: arnOf('nope') })),
    );
    expect(noMachine.name).toBe('StateMachineDoesNotExist');
    const noExecution = await rejection(
      client.send(
        new DescribeExecutionCommand({
          executionArn: 'arn:aws:states:us-east-1:000000000000:execution:echo:nope',
        }),
      ),
    );
    expect(noExecution.name).toBe('ExecutionDoesNotExist');
    const badArn = await rejection(client.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })));
    expect(badArn.name).toBe('InvalidArn');
  });
});

describe('state machines', () => {
  it('lists and describes the served machines', async () => {
    const { stateMachines } = await client.send(new ListStateMachinesCommand({}));
    expect(stateMachines?.map((m) => m.name).sort()).toEqual(['callback', 'echo']);
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: arnOf('echo') }));
    expect(described.status).toBe('ACTIVE');
    expect(described.type).toBe('STANDARD');
    expect(JSON.parse(described.definition!)).toMatchObject({ StartAt: 'Add a greeting' });
  });
});

describe('ListExecutions', () => {
  it('filters by machine and status, newest first', async () => {
    const names = ['list-a', 'list-b', 'list-c'];
    for (const name of names) {
      await client.send(
        new StartExecutionCommand({
          stateMachineArn: arnOf('callback'),
          name,
          input: '{"mode":"wait","waitSeconds":3600}',
        }),
      );
    }
    await client.send(
      new StopExecutionCommand({
        executionArn: `arn:aws:states:us-east-1:000000000000:execution:callback:list-b`,
      }),
    );

    const running = await client.send(
      new ListExecutionsCommand({ stateMachineArn: arnOf('callback'), statusFilter: 'RUNNING' }),
    );
    const runningNames = running.executions!.map((e) => e.name);
    expect(runningNames.filter((n) => names.includes(n!))).toEqual(['list-c', 'list-a']);

    const aborted = await client.send(
      new ListExecutionsCommand({ stateMachineArn: arnOf('callback'), statusFilter: 'ABORTED' }),
    );
    expect(aborted.executions!.map((e) => e.name)).toContain('list-b');
    expect(aborted.executions!.find((e) => e.name === 'list-b')!.stopDate).toBeInstanceOf(Date);

    const echoes = await client.send(new ListExecutionsCommand({ stateMachineArn: arnOf('echo') }));
    expect(echoes.executions!.every((e) => e.stateMachineArn === arnOf('echo'))).toBe(true);

    const paged = await client.send(
      new ListExecutionsCommand({ stateMachineArn: arnOf('callback'), maxResults: 1 }),
    );
    expect(paged.executions).toHaveLength(1);
    const rest = await client.send(
      new ListExecutionsCommand({
        stateMachineArn: arnOf('callback'),
        maxResults: 1,
        nextToken: paged.nextToken,
      }),
    );
    expect(rest.executions![0]!.executionArn).not.toBe(paged.executions![0]!.executionArn);
  });
});

describe('GetExecutionHistory', () => {
  it('returns AWS-shaped events in order, with increasing ids', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: arnOf('echo'),
        name: 'history-1',
        input: '{"name":"friend"}',
      }),
    );
    await sfn.engine.waitForStatus(executionArn!, 'SUCCEEDED', WAIT_BOUND_MS);
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events!.map((e) => e.id)).toEqual(events!.map((_, i) => i + 1));
    expect(events!.every((e) => e.timestamp instanceof Date)).toBe(true);
    expect(JSON.parse(events![0]!.executionStartedEventDetails!.input!)).toEqual({ name: 'friend' });
    expect(events![3]!.stateEnteredEventDetails!.name).toBe('Echo the input');
    const scheduled = events![4]!.taskScheduledEventDetails!;
    expect(scheduled).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'us-east-1',
      timeoutInSeconds: 30,
    });
    expect(JSON.parse(scheduled.parameters!)).toMatchObject({
      Payload: { greeting: 'hello', name: 'friend' },
    });
    expect(JSON.parse(events![6]!.taskSucceededEventDetails!.output!)).toMatchObject({
      StatusCode: 200,
      Payload: { echoed: true },
    });
    expect(JSON.parse(events![12]!.executionSucceededEventDetails!.output!)).toMatchObject({ echoed: true });
  });

  it('pages with maxResults/nextToken and reverses on request', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('echo'), name: 'history-2', input: '{"name":"x"}' }),
    );
    await sfn.engine.waitForStatus(executionArn!, 'SUCCEEDED', WAIT_BOUND_MS);
    const seen: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 5, nextToken }),
      );
      expect(page.events!.length).toBeLessThanOrEqual(5);
      seen.push(...page.events!.map((e) => e.id!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));

    const reversed = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(reversed.events!.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'SucceedStateExited']);

    const bad = await rejection(
      client.send(new GetExecutionHistoryCommand({ executionArn, nextToken: 'garbage' })),
    );
    expect(bad.name).toBe('InvalidToken');
  });

  it('feeds history events live to engine listeners', async () => {
    const seen: string[] = [];
    const listener = (arn: string, event: { type: string }): void => {
      if (arn.endsWith(':live-feed')) seen.push(event.type);
    };
    sfn.engine.on('event', listener);
    const { executionArn } = await sfn.engine.startExecution({
      stateMachineArn: arnOf('echo'),
      name: 'live-feed',
      input: '{"name":"x"}',
    });
    await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS);
    sfn.engine.off('event', listener);
    expect(seen).toEqual((await sfn.engine.history(executionArn)).map((e) => e.type));
  });
});

describe('waitForStatus', () => {
  it('rejects with where the execution is when it does not get there in time', async () => {
    const { executionArn } = await sfn.engine.startExecution({
      stateMachineArn: arnOf('callback'),
      name: 'never-done',
      input: '{"mode":"wait","waitSeconds":3600}',
    });
    const error = await rejection(sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', 50));
    expect(error.message).toMatch(/"never-done" not SUCCEEDED within 50 ms: RUNNING; last event #\d+ TaskS/);
    await sfn.engine.stopExecution({ executionArn });
    const closed = await rejection(sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', 50));
    expect(closed.message).toMatch(/closed as ABORTED/);
  });
});
