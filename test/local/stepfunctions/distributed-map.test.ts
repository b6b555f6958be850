import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  startStepFunctions,
  stateMachineArn,
  type LocalStepFunctions,
} from '../../../local/stepfunctions/index.ts';
import { sfnClient } from './helpers.ts';
import { WAIT_BOUND_MS } from '../../../local/driver.ts';

/**
 * A Map with ProcessorConfig DISTRIBUTED runs inline locally over ItemsPath, with ItemSelector and the
 * iteration's own Retry; the Distributed-only fields the interpreter would silently ignore are refused.
 */
const machine = (extra: Record<string, unknown> = {}) => ({
  StartAt: 'Each batch',
  States: {
    'Each batch': {
      Type: 'Map',
      ItemsPath: '$.batches',
      ItemSelector: { 'id.$': '$.id', 'batch.$': '$$.Map.Item.Value' },
      MaxConcurrency: 2,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Work',
        States: {
          Work: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'work', 'Payload.$': '$' },
            TimeoutSeconds: 10,
            Retry: [{ ErrorEquals: ['NotYet'], IntervalSeconds: 0, MaxAttempts: 2 }],
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
      ...extra,
      End: true,
    },
  },
});

let sfn: LocalStepFunctions;
let client: SFNClient;
const seen: { id: string; batch: number }[] = [];
const failedOnce = new Set<number>();

beforeAll(async () => {
  sfn = await startStepFunctions({
    machines: [{ name: 'distributed', definition: machine() }],
    resolveLambda: async () => async (event) => {
      const input = event as { id: string; batch: number };
      if (input.batch === 1 && !failedOnce.has(1)) {
        failedOnce.add(1);
        throw Object.assign(new Error('batch 1 not yet'), { name: 'NotYet' });
      }
      seen.push(input);
      return { done: input.batch };
    },
  });
  client = sfnClient(sfn.url);
});
afterAll(async () => {
  client?.destroy();
  await sfn?.close();
});

describe('a Distributed Map on the local engine', () => {
  it('runs every item inline, with ItemSelector and the iteration Retry', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn('distributed'),
        input: JSON.stringify({ id: 'b1', batches: [0, 1, 2] }),
      }),
    );
    const done = await sfn.engine.waitForStatus(executionArn!, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual([{ done: 0 }, { done: 1 }, { done: 2 }]);
    expect(seen.map((s) => s.batch).sort()).toEqual([0, 1, 2]);
    expect(seen.every((s) => s.id === 'b1')).toBe(true);
  });

  it.each([
    ['ItemReader', { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } }],
    ['ItemBatcher', { MaxItemsPerBatch: 10 }],
    ['ToleratedFailurePercentage', 5],
  ])('refuses %s, which it would silently ignore', async (field, value) => {
    await expect(
      startStepFunctions({
        machines: [{ name: 'refused', definition: machine({ [field]: value }) }],
        resolveLambda: async () => async () => ({}),
      }),
    ).rejects.toThrow(new RegExp(`uses ${field}`));
  });
});
