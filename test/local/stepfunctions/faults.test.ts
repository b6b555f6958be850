import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../local/driver.ts';
import type { InvocationFault, LocalStepFunctions } from '../../../local/stepfunctions/index.ts';
import { arnOf, startWith } from './helpers.ts';

// A task's 30 s and a function's 60 s overrun take 50 ms and 100 ms.
const TIME_SCALE = 600;

let sfn: LocalStepFunctions;
/** Each execution's handler run, once started: whether it has finished. */
const runs = new Map<string, { finished: boolean }>();
/** The fault the next invocation of `step` gets, keyed by the execution that makes it. */
const faults = new Map<string, InvocationFault>();
let lastKey = '';
/** The fault the next invocation of the callback task's `park` gets. */
let parkFault: InvocationFault | undefined;
const parked: { taskToken: string; mode: string }[] = [];

beforeAll(async () => {
  sfn = await startWith(
    ['faulty-step', 'callback'],
    {
      park: async (event) => {
        const request = event as { taskToken: string; mode: string };
        parked.push(request);
        if (request.mode === 'answer-inline')
          await sfn.engine.sendTaskSuccess({
            taskToken: request.taskToken,
            output: '{"answeredBy":"lambda"}',
          });
        return { parked: true };
      },
      step: async (event) => {
        const { key, slowMs } = event as { key: string; slowMs: number };
        if (slowMs < 0) throw Object.assign(new Error('a bug'), { name: 'HandlerBug' });
        const run = { finished: false };
        runs.set(key, run);
        await new Promise((resolve) => setTimeout(resolve, slowMs));
        run.finished = true;
        return { ran: key };
      },
    },
    {
      timeScale: TIME_SCALE,
      invocationFault: (name) =>
        name === 'step' ? faults.get(lastKey) : name === 'park' ? parkFault : undefined,
    },
  );
});

afterAll(async () => {
  await sfn?.close();
});

async function run(name: string, fault: InvocationFault | undefined, timeoutSeconds: number, slowMs = 0) {
  lastKey = name;
  if (fault) faults.set(name, fault);
  const { executionArn } = await sfn.engine.startExecution({
    stateMachineArn: arnOf('faulty-step'),
    name,
    input: JSON.stringify({ timeoutSeconds, slowMs }),
  });
  const described = await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', 10_000);
  const output = JSON.parse(described.output!) as { failure?: { Error: string; Cause: string } };
  const history = await sfn.engine.history(executionArn);
  // A function error's Cause is the error as JSON; a timeout's is a sentence.
  const text = output.failure?.Cause ?? '';
  const cause = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  return {
    output,
    cause,
    events: history.map((e) => e.type),
    states: sfn.engine.visitedStates(executionArn).map((v) => v.name),
  };
}

describe('faults injected into a Lambda invocation', () => {
  it('runs the function untouched when there is no fault', async () => {
    const { output, events } = await run('no-fault', undefined, 30);
    expect(output).toEqual({ ran: 'no-fault' });
    expect(events).toContain('TaskSucceeded');
  });

  it('fails before the handler: nothing ran, an ordinary function error', async () => {
    const { output, cause, events, states } = await run(
      'before',
      { kind: 'fail-before', errorType: 'Error', errorMessage: 'broke first' },
      30,
    );
    expect(runs.has('before')).toBe(false);
    expect(output.failure?.Error).toBe('Error');
    expect(cause).toEqual({ errorType: 'Error', errorMessage: 'broke first' });
    expect(events).toContain('TaskFailed');
    expect(states).toEqual(['Call the step', 'Failed']);
  });

  it('fails after the handler: its work happened, its result is lost', async () => {
    const { output, cause, states } = await run(
      'after',
      { kind: 'fail-after', errorType: 'Runtime.ExitError', errorMessage: 'killed' },
      30,
    );
    expect(runs.get('after')?.finished).toBe(true);
    expect(output.failure?.Error).toBe('Runtime.ExitError');
    expect(cause).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'killed' });
    expect(states).toEqual(['Call the step', 'Failed']);
  });

  it("an overrun stopped by the function's own timeout is Lambda's Sandbox.Timedout, a TaskFailed", async () => {
    const { output, cause, events, states } = await run(
      'lambda-timeout',
      { kind: 'overrun', functionTimeoutSeconds: 20, note: '(test)' },
      30,
    );
    expect(runs.get('lambda-timeout')?.finished).toBe(true);
    expect(output.failure?.Error).toBe('Sandbox.Timedout');
    expect(cause?.errorType).toBe('Sandbox.Timedout');
    expect(cause?.errorMessage).toMatch(
      /^RequestId: \S+ Error: Task timed out after 20\.00 seconds \(test\)$/,
    );
    expect(events).toContain('TaskFailed');
    expect(events).not.toContain('TaskTimedOut');
    // States.TaskFailed catches it; a States.Timeout catcher does not.
    expect(states).toEqual(['Call the step', 'Failed']);
  });

  it("an overrun past the task's TimeoutSeconds times the task out while the function runs on", async () => {
    // The handler takes 1 s; the task's 30 s pass after 50 ms.
    const { output, events, states } = await run(
      'task-timeout',
      { kind: 'overrun', functionTimeoutSeconds: 60 },
      30,
      1_000,
    );
    expect(output.failure?.Error).toBe('States.Timeout');
    expect(events).toContain('TaskTimedOut');
    expect(states).toEqual(['Call the step', 'Timed out']);
    expect(runs.get('task-timeout')?.finished).toBe(false);
    await waitFor('the timed-out function to finish on its own', () =>
      runs.get('task-timeout')?.finished ? true : undefined,
    );
  });

  it('a handler that fails on its own during an overrun reports its own error', async () => {
    const { output, states } = await run(
      'own-error',
      { kind: 'overrun', functionTimeoutSeconds: 20 },
      30,
      -1,
    );
    expect(output.failure?.Error).toBe('HandlerBug');
    expect(states).toEqual(['Call the step', 'Failed']);
  });
});

describe("faults injected into a callback task's invocation", () => {
  async function park(name: string, fault: InvocationFault, mode = 'park') {
    parkFault = fault;
    parked.length = 0;
    const { executionArn } = await sfn.engine.startExecution({
      stateMachineArn: arnOf('callback'),
      name,
      input: JSON.stringify({ mode, waitSeconds: 3600 }),
    });
    const described = await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', 10_000);
    const states = sfn.engine.visitedStates(executionArn).map((v) => v.name);
    const output = JSON.parse(described.output!) as { failure?: { Error: string } };
    return {
      output,
      states,
      request: parked.find((p) => p.mode === mode && !p.taskToken.startsWith('used:')),
    };
  }

  it('a crash after the handler parked the token fails the task; the token answers no more', async () => {
    const { output, states, request } = await park('park-after', {
      kind: 'fail-after',
      errorType: 'Runtime.ExitError',
      errorMessage: 'killed',
    });
    expect(states).toEqual(['Wait for an answer', 'Answered with a failure']);
    expect(output.failure?.Error).toBe('Runtime.ExitError');
    expect(request).toBeDefined();
    await expect(
      sfn.engine.sendTaskSuccess({ taskToken: request!.taskToken, output: '{}' }),
    ).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it("an overrun of the callback's invocation is the function's Sandbox.Timedout", async () => {
    const { output, states } = await park('park-overrun', { kind: 'overrun', functionTimeoutSeconds: 20 });
    expect(states).toEqual(['Wait for an answer', 'Answered with a failure']);
    expect(output.failure?.Error).toBe('Sandbox.Timedout');
  });

  it('an answer that came before the crash wins, as the token was already used', async () => {
    const { states } = await park(
      'answered-first',
      { kind: 'fail-after', errorType: 'Runtime.ExitError', errorMessage: 'killed' },
      'answer-inline',
    );
    expect(states).toEqual(['Wait for an answer', 'Answered']);
  });
});
