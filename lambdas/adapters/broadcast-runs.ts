import { GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { batchSk } from './broadcasts.ts';
import type { BroadcastCounts, BroadcastTarget } from '../domain/records/broadcast.ts';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';

/**
 * One run of a broadcast batch holds the batch (BROADCAST#<id> / BATCH#<nnnn>) under a lease, so it is the
 * only writer of that batch's log items while it runs. That is what lets it post without claiming each
 * channel first and write the outcomes 25 at a time: one conditional write per batch instead of two per
 * channel. What a crash can leave behind is told by the batch item itself: a run that never ended (its
 * lease ran out) or ended unsure may have posted to channels it did not record, so the next run looks in
 * Slack before posting to any channel not recorded final.
 */
export interface BatchRun {
  runId: string;
  targets: BroadcastTarget[];
  /** Runs of this batch before this one; 0 means nothing was ever posted or recorded for it. */
  earlierRuns: number;
  /**
   * Set when an earlier run may have posted without recording it (it died, or could not write everything
   * down): when the batch's first run began, the earliest such a post can be. Absent when every earlier
   * run recorded all it did.
   */
  unsureSince?: string;
}

export type StartedRun = { started: true; run: BatchRun } | { started: false; busyUntil: number };

const key = (broadcastId: string, n: number) => ({ pk: `BROADCAST#${broadcastId}`, sk: batchSk(n) });

/** Takes the batch for a run, unless another run holds it (then: until when). */
export async function startBatchRun(
  broadcastId: string,
  n: number,
  options: { now: Date; leaseMs: number },
): Promise<StartedRun> {
  const runId = randomUUID();
  const now = options.now.toISOString();
  let old: Record<string, unknown> = {};
  const taken = await conditionally(async () => {
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(broadcastId, n),
        UpdateExpression:
          'SET runId = :r, leaseUntil = :until, firstRunAt = if_not_exists(firstRunAt, :now) ADD runs :one',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeValues: {
          ':r': runId,
          ':now': now,
          ':until': new Date(options.now.getTime() + options.leaseMs).toISOString(),
          ':one': 1,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    old = out.Attributes ?? {};
  });
  if (!taken) {
    const item = await dynamodb.send(
      new GetCommand({ TableName: tableName(), Key: key(broadcastId, n), ConsistentRead: true }),
    );
    if (!item.Item) throw new Error(`Broadcast ${broadcastId} has no batch ${n}`);
    return { started: false, busyUntil: Date.parse(String(item.Item.leaseUntil)) };
  }
  // A run id still on the item: that run never ended. `unsure`: it ended without recording everything.
  const died = typeof old.runId === 'string';
  const unsureSince = died || old.unsure === true ? String(old.firstRunAt) : undefined;
  return {
    started: true,
    run: {
      runId,
      targets: old.targets as BroadcastTarget[],
      earlierRuns: typeof old.runs === 'number' ? old.runs : 0,
      ...(unsureSince ? { unsureSince } : {}),
    },
  };
}

/** An update only the run holding the batch may make; false when it no longer does. */
function asHolder(
  broadcastId: string,
  n: number,
  runId: string,
  update: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ConditionExpression'>,
): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        ...update,
        TableName: tableName(),
        Key: key(broadcastId, n),
        ConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':r': runId },
      }),
    ),
  );
}

/** Extends the run's lease; false when the run no longer holds the batch. */
export async function keepBatchRun(
  broadcastId: string,
  n: number,
  runId: string,
  until: Date,
): Promise<boolean> {
  return asHolder(broadcastId, n, runId, {
    UpdateExpression: 'SET leaseUntil = :until',
    ExpressionAttributeValues: { ':until': until.toISOString() },
  });
}

/**
 * Ends the run: its counts (set, not added, so a retried batch never counts a channel twice) and whether
 * it recorded everything it did. False when the run had already lost the batch to another.
 */
export async function endBatchRun(
  broadcastId: string,
  n: number,
  runId: string,
  outcome: { counts: BroadcastCounts; unsure: boolean },
): Promise<boolean> {
  return asHolder(broadcastId, n, runId, {
    UpdateExpression: 'SET #c = :c, unsure = :u REMOVE runId, leaseUntil',
    ExpressionAttributeNames: { '#c': 'counts' },
    ExpressionAttributeValues: { ':c': outcome.counts, ':u': outcome.unsure },
  });
}
