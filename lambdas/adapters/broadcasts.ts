import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { queryAll } from './query-all.ts';
import { writeAllAtOnce } from './batch-write.ts';
import { tableName } from './env.ts';
import type { BroadcastTarget, BroadcastCounts, BroadcastRecord } from '../domain/records/broadcast.ts';

/**
 * A broadcast's id, from what makes it this broadcast (a request and its day, an incident's opening round):
 * the same request again names the same broadcast, so it starts nothing new.
 */
export const broadcastIdOf = (canonical: string): string =>
  `b-${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;

const pk = (id: string) => `BROADCAST#${id}`;
export const batchSk = (n: number) => `BATCH#${String(n).padStart(4, '0')}`;

/** Stores the request once; false when a broadcast with this id exists (the same request, made again). */
export async function createBroadcast(record: BroadcastRecord): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: pk(record.broadcastId),
          sk: 'META',
          ...record,
          gsi1pk: 'BROADCASTS',
          gsi1sk: `${record.createdAt}#${record.broadcastId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

export async function findBroadcast(broadcastId: string): Promise<BroadcastRecord | undefined> {
  const out = await dynamodb.send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: pk(broadcastId), sk: 'META' },
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, ...rest } = out.Item;
  return rest as BroadcastRecord;
}

export async function listBroadcasts(limit = 50): Promise<BroadcastRecord[]> {
  const out = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'BROADCASTS' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((item) => {
    const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, ...rest } = item;
    return rest as BroadcastRecord;
  });
}

/**
 * Fixes the audience once: the batches are written first and the record says "sending" last, so a
 * retried plan either finds the plan made or makes it again before anything was sent.
 */
export async function savePlan(
  broadcastId: string,
  batches: BroadcastTarget[][],
  plan: { plannedAt: string; withoutSlack: string[] },
): Promise<void> {
  // 25 batches to a request, all at once: 20,000 channels are 16 requests, not 400.
  await writeAllAtOnce(
    dynamodb,
    tableName(),
    batches.map((targets, n) => ({ PutRequest: { Item: { pk: pk(broadcastId), sk: batchSk(n), targets } } })),
  );
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: pk(broadcastId), sk: 'META' },
      UpdateExpression: 'SET #s = :sending, plannedAt = :at, #t = :total, batches = :n, withoutSlack = :w',
      ConditionExpression: '#s = :requested',
      ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
      ExpressionAttributeValues: {
        ':sending': 'sending',
        ':requested': 'requested',
        ':at': plan.plannedAt,
        ':total': batches.reduce((sum, b) => sum + b.length, 0),
        ':n': batches.length,
        ':w': plan.withoutSlack,
      },
    }),
  );
}

/** A broadcast's batch items, strongly consistent; `counts` reads each one's counts alone. */
const batchItems = (broadcastId: string, only?: 'counts') =>
  queryAll(dynamodb, {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)',
    ExpressionAttributeValues: { ':pk': pk(broadcastId), ':b': 'BATCH#' },
    ...(only ? { ProjectionExpression: '#c', ExpressionAttributeNames: { '#c': only } } : {}),
    ConsistentRead: true,
  });

/** Every batch's targets and counts (counts absent for a batch not run yet). */
export async function batchesOf(
  broadcastId: string,
): Promise<{ n: number; targets: BroadcastTarget[]; counts?: BroadcastCounts }[]> {
  const items = await batchItems(broadcastId);
  return items.map((item) => ({
    n: Number(String(item.sk).slice('BATCH#'.length)),
    targets: item.targets as BroadcastTarget[],
    ...(item.counts ? { counts: item.counts as BroadcastCounts } : {}),
  }));
}

/**
 * Every batch's counts alone (undefined for a batch not run yet): what progress is made of. Read on every
 * batch's end and every status request, so it asks for the counts only, not each batch's 50 targets.
 */
export async function batchCountsOf(broadcastId: string): Promise<(BroadcastCounts | undefined)[]> {
  const items = await batchItems(broadcastId, 'counts');
  return items.map((item) => item.counts as BroadcastCounts | undefined);
}

/** Remembers the progress message; only the first call sets it (a retried plan keeps the first). */
export async function setProgressMessage(
  broadcastId: string,
  message: { channel: string; ts: string },
): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: pk(broadcastId), sk: 'META' },
        UpdateExpression: 'SET progressMessage = :m',
        ConditionExpression: 'attribute_not_exists(progressMessage)',
        ExpressionAttributeValues: { ':m': message },
      }),
    ),
  );
}

export async function finishBroadcast(
  broadcastId: string,
  at: string,
  outcome: BroadcastCounts,
): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: pk(broadcastId), sk: 'META' },
      UpdateExpression: 'SET #s = :finished, finishedAt = :at, outcome = :o',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':finished': 'finished', ':at': at, ':o': outcome },
    }),
  );
}
