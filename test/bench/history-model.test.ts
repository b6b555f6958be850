import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelExecutions, modelHistory } from '../../bench/history-model.ts';
import {
  startStepFunctions,
  stateMachineArn,
  type LocalLambdaHandler,
  type LocalStepFunctions,
} from '../../local/stepfunctions/index.ts';

/**
 * The history model against small machines whose AWS histories are counted by hand (docs/architecture.md, "Counting history events"), run on
 * the local engine so the visits are the ones the benchmarks feed it.
 */
const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const lambda = (name: string, next: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: fn(name), 'Payload.$': '$' },
  TimeoutSeconds: 30,
  ...extra,
  ...next,
});

const MACHINES: Record<string, Record<string, unknown>> = {
  // ExecutionStarted · Pass 2 · Lambda 5 · Choice 2 · Succeed 2 · ExecutionSucceeded = 13
  straight: {
    StartAt: 'P',
    States: {
      P: { Type: 'Pass', Next: 'L' },
      L: lambda('echo', { Next: 'C' }, { OutputPath: '$.Payload' }),
      C: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: 1, Next: 'S' }], Default: 'S' },
      S: { Type: 'Succeed' },
    },
  },
  // 2 · Lambda 5 + one retry 3 = 10
  retried: {
    StartAt: 'L',
    States: {
      L: lambda(
        'flaky',
        { End: true },
        { Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }] },
      ),
    },
  },
  // 2 · callback 6 (timed out, caught) · Pass 2 = 10
  timedOut: {
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: fn('park'), Payload: { 'token.$': '$$.Task.Token' } },
        TimeoutSeconds: 1,
        Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'After' }],
        Next: 'After',
      },
      After: { Type: 'Pass', End: true },
    },
  },
  // 2 · Map 4 + 3 iterations × 2 · 3 Pass × 2 = 18
  mapped: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'One',
          States: { One: { Type: 'Pass', End: true } },
        },
        End: true,
      },
    },
  },
  // Parent: 2 · Distributed Map 6 (no per-item events) · Pass 2 = 10, 2 transitions. Each item a child:
  // 2 · Pass 2 · inline Map 4 + 2 iterations × 2 · 2 Pass × 2 = 16, 4 transitions.
  distributed: {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemsPath: '$.groups',
        ItemSelector: { 'group.$': '$$.Map.Item.Value' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Group',
          States: {
            Group: { Type: 'Pass', Next: 'Each' },
            Each: {
              Type: 'Map',
              ItemsPath: '$.group',
              ItemProcessor: {
                ProcessorConfig: { Mode: 'INLINE' },
                StartAt: 'One',
                States: { One: { Type: 'Pass', End: true } },
              },
              End: true,
            },
          },
        },
        ResultPath: null,
        Next: 'Done',
      },
      Done: { Type: 'Pass', End: true },
    },
  },
  // 2 · Wait 2 · Pass 2 · Fail 1 = 7
  failing: {
    StartAt: 'W',
    States: {
      W: { Type: 'Wait', Seconds: 1, Next: 'P' },
      P: { Type: 'Pass', Next: 'F' },
      F: { Type: 'Fail', Error: 'Stop' },
    },
  },
  // 2 · startExecution.sync 6 · startExecution 5 = 13 (the children's events are in their own histories)
  parent: {
    StartAt: 'Run',
    States: {
      Run: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution.sync:2',
        Parameters: { StateMachineArn: stateMachineArn('straight'), Input: { x: 1 } },
        ResultPath: null,
        Next: 'Fire',
      },
      Fire: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution',
        Parameters: { StateMachineArn: stateMachineArn('straight'), Input: { x: 2 } },
        End: true,
      },
    },
  },
};

const failedOnce = new Set<string>();
const HANDLERS: Record<string, LocalLambdaHandler> = {
  echo: async (event) => event,
  flaky: async (event) => {
    const key = JSON.stringify(event);
    if (!failedOnce.has(key)) {
      failedOnce.add(key);
      const error = new Error('try again');
      error.name = 'TransientError';
      throw error;
    }
    return event;
  },
  park: async () => ({}),
};

let sfn: LocalStepFunctions;

beforeAll(async () => {
  sfn = await startStepFunctions({
    machines: Object.entries(MACHINES).map(([name, definition]) => ({ name, definition })),
    resolveLambda: async (arn) => {
      const handler = HANDLERS[arn.split(':function:').at(-1) ?? ''];
      if (!handler) throw new Error(`no handler for ${arn}`);
      return handler;
    },
    // The callback's 1 s timeout and the 1 s Wait take 0.1 s.
    timeScale: 10,
  });
});

afterAll(async () => {
  await sfn?.close();
});

async function run(machine: string, input: unknown): Promise<{ arn: string }> {
  const { executionArn } = await sfn.engine.startExecution({
    stateMachineArn: stateMachineArn(machine),
    input: JSON.stringify(input),
  });
  await sfn.engine.waitForStatus(executionArn, ['SUCCEEDED', 'FAILED'], 20_000);
  return { arn: executionArn };
}

describe('modelHistory', () => {
  it.each([
    ['straight', { x: 1 }, 13, 4],
    ['retried', { n: 1 }, 10, 2],
    ['timedOut', {}, 10, 2],
    ['mapped', { items: [1, 2, 3] }, 18, 4],
    ['failing', {}, 7, 3],
    ['parent', {}, 13, 2],
  ] as const)('counts %s as hand-counted', async (machine, input, events, transitions) => {
    const { arn } = await run(machine, input);
    expect(modelHistory(sfn.engine.visitedStates(arn))).toEqual({ events, transitions });
  });

  it("matches the local engine's own AWS-shaped history where no retry or catch is involved", async () => {
    const { arn } = await run('straight', { x: 1 });
    expect(modelHistory(sfn.engine.visitedStates(arn)).events).toBe((await sfn.engine.history(arn)).length);
  });
});

describe('modelExecutions', () => {
  it('counts each item of a Distributed Map as its own child execution, the parent keeping the map run', async () => {
    const { arn } = await run('distributed', { groups: [[1, 2], [3, 4], [5, 6]] });
    const model = modelExecutions(sfn.engine.visitedStates(arn), MACHINES.distributed!);
    expect(model.parent).toEqual({ events: 10, transitions: 2 });
    expect(model.children).toEqual(Array.from({ length: 3 }, () => ({ events: 16, transitions: 4 })));
    expect(model.transitions).toBe(2 + 3 * 4);
  });

  it('counts an execution without a Distributed Map as modelHistory does', async () => {
    const { arn } = await run('mapped', { items: [1, 2, 3] });
    const model = modelExecutions(sfn.engine.visitedStates(arn), MACHINES.mapped!);
    expect(model).toEqual({ parent: { events: 18, transitions: 4 }, children: [], transitions: 4 });
  });
});
