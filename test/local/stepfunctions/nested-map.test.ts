import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStepFunctions } from '../../../local/stepfunctions/index.ts';
import { arnOf, startWith, TransientError } from './helpers.ts';

/**
 * The interpreter numbers a state's events by the iteration of the outermost Map only, so inside a Map in a
 * Map every item of one group looks alike: the visits must still be told apart, or retries and catches land
 * on the wrong visit (or on none) and the history model undercounts.
 */
let sfn: LocalStepFunctions;
const attempts = new Map<string, number>();

beforeAll(async () => {
  sfn = await startWith(['nested-map-retry'], {
    flaky: async (event) => {
      const { id, fails } = event as { id: string; fails: number };
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      // Items finish in a different order than they started, so the visits close out of order.
      await new Promise((resolve) => setTimeout(resolve, (Number(id.slice(1)) % 3) * 40));
      if (attempt <= fails) throw new TransientError(`${id} attempt ${attempt}`);
      return { id, attempts: attempt };
    },
  });
});

afterAll(async () => {
  await sfn?.close();
});

it('keeps each inner iteration its own visit: retries and catches land where they happened', async () => {
  const item = (id: string, fails: number) => ({ id, fails });
  const groups = [
    { items: [item('a1', 1), item('a2', 0), item('a3', 2)] },
    { items: [item('b4', 1), item('b5', 1)] },
  ];
  const { executionArn } = await sfn.engine.startExecution({
    stateMachineArn: arnOf('nested-map-retry'),
    input: JSON.stringify({ groups }),
  });
  await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', 20_000);
  const tasks = sfn.engine.visitedStates(executionArn).filter((v) => v.name === 'Call the flaky function');
  expect(tasks).toHaveLength(5);
  // a3 fails twice: one retry, then caught; the others that fail once are retried once and succeed.
  expect(tasks.map((v) => v.retries).sort()).toEqual([0, 1, 1, 1, 1]);
  expect(tasks.filter((v) => v.outcome === 'caught')).toHaveLength(1);
  expect(tasks.filter((v) => v.outcome === 'succeeded')).toHaveLength(4);
  const history = await sfn.engine.history(executionArn);
  const scheduled = history.filter((e) => e.type === 'TaskScheduled').length;
  expect(scheduled - tasks.length).toBe(tasks.reduce((n, v) => n + v.retries, 0));
});
