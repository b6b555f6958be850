import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDynamo } from '../../local/dynamodb.ts';
import { startDynamoFaults, type DynamoFaults } from '../../local/dynamodb-faults.ts';
import type * as BatchWrite from '../../lambdas/adapters/batch-write.ts';
import type * as Db from '../../lambdas/adapters/dynamodb.ts';
import type * as LogBatch from '../../lambdas/adapters/notification-log-batch.ts';
import type * as QueryAll from '../../lambdas/adapters/query-all.ts';
import type * as Retry from '../../lambdas/adapters/dynamodb-retry.ts';
import type { BroadcastLogEntry } from '../../lambdas/domain/records/notification.ts';

/**
 * What dynalite never does and DynamoDB does under load: batches left partly unprocessed and throttling
 * beyond the SDK's own retries. The real SDK client talks to a fault proxy in front of dynalite
 * (local/dynamodb-faults.ts); every batch path goes back for what was left (lambdas/adapters/
 * dynamodb-retry.ts), and the table shows each item once, none missing.
 */
const TABLE = 'dynamodb-faults-test';
let dynamo: { url: string; close(): Promise<void> };
let faults: DynamoFaults;
let a: {
  db: typeof Db;
  batch: typeof BatchWrite;
  log: typeof LogBatch;
  query: typeof QueryAll;
  retry: typeof Retry;
};

beforeAll(async () => {
  dynamo = await startDynamo({ tableName: TABLE });
  faults = await startDynamoFaults(dynamo.url);
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: TABLE,
    AWS_ENDPOINT_URL_DYNAMODB: faults.url,
  });
  // Imported only now: the SDK client reads its endpoint when the module loads.
  a = {
    db: await import('../../lambdas/adapters/dynamodb.ts'),
    batch: await import('../../lambdas/adapters/batch-write.ts'),
    log: await import('../../lambdas/adapters/notification-log-batch.ts'),
    query: await import('../../lambdas/adapters/query-all.ts'),
    retry: await import('../../lambdas/adapters/dynamodb-retry.ts'),
  };
});

afterAll(async () => {
  await faults?.close();
  await dynamo?.close();
});

beforeEach(() => faults.stopFailing());

const items = (pk: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ pk, sk: `ITEM#${String(i).padStart(3, '0')}`, n: i }));

const everything = (pk: string) =>
  a.query.queryAll(a.db.dynamodb, {
    TableName: TABLE,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ConsistentRead: true,
  });

const put = (list: Record<string, unknown>[]) =>
  a.batch.writeAll(
    a.db.dynamodb,
    TABLE,
    list.map((Item) => ({ PutRequest: { Item } })),
  );

describe('BatchWriteItem', () => {
  it('sends back what DynamoDB left unprocessed or throttled past the SDK, until every item is in once', async () => {
    const list = items('WRITES', 60);
    // Three batches of 25, 25 and 10: the first two come back part-done, then the next calls are
    // throttled more often than the SDK retries on its own (3 attempts).
    faults.failNext('BatchWriteItem', { kind: 'partial', process: 7 }, 2);
    faults.failNext('BatchWriteItem', { kind: 'throttle' }, 4);
    faults.failNext('BatchWriteItem', { kind: 'partial', process: 0 }, 1);
    await put(list);
    const counts = faults.counts('BatchWriteItem');
    expect(counts.unprocessed).toBeGreaterThan(0);
    expect(counts.throttled).toBe(4);
    const stored = await everything('WRITES');
    expect(stored.map((i) => i.sk)).toEqual(list.map((i) => i.sk));
    expect(stored).toEqual(list);
  });

  it('sends every batch at once and still takes back what each left unprocessed', async () => {
    const list = items('WRITES-AT-ONCE', 60);
    faults.failNext('BatchWriteItem', { kind: 'partial', process: 7 }, 2);
    faults.failNext('BatchWriteItem', { kind: 'throttle' }, 4);
    await a.batch.writeAllAtOnce(
      a.db.dynamodb,
      TABLE,
      list.map((Item) => ({ PutRequest: { Item } })),
    );
    expect(faults.counts('BatchWriteItem').unprocessed).toBeGreaterThan(0);
    expect(await everything('WRITES-AT-ONCE')).toEqual(list);
  });

  it('gives up after its attempts with an error naming what and how much was left; nothing is doubled', async () => {
    faults.failNext('BatchWriteItem', { kind: 'partial', process: 1 }, a.retry.MAX_ATTEMPTS);
    const error = await put(items('GIVEUP', 25)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('DynamoDbBusyError');
    expect(error?.message).toBe(
      `DynamoDB left ${25 - a.retry.MAX_ATTEMPTS} of 25 writes to ${TABLE} unprocessed after ${a.retry.MAX_ATTEMPTS} attempts`,
    );
    // One item per attempt went in, each once.
    const stored = await everything('GIVEUP');
    expect(stored.map((i) => i.n)).toEqual(Array.from({ length: a.retry.MAX_ATTEMPTS }, (_, i) => i));
  });

  it('names the throttling when that is what never let up', async () => {
    faults.failNext('BatchWriteItem', { kind: 'throttle', code: 'ThrottlingException' }, 1000);
    // A client that does not retry on its own, so the ten attempts are ours alone (and quick).
    const impatient = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: faults.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
    );
    const writes = items('THROTTLED', 3).map((Item) => ({ PutRequest: { Item } }));
    const error = await a.batch.writeAll(impatient, TABLE, writes).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/left 3 of 3 writes .* after 10 attempts \(ThrottlingException\)$/);
    expect(faults.counts('BatchWriteItem').throttled).toBeGreaterThanOrEqual(a.retry.MAX_ATTEMPTS);
    faults.stopFailing();
    expect(await everything('THROTTLED')).toEqual([]);
  });
});

describe('BatchGetItem (the broadcast log read back)', () => {
  it('asks again for the keys DynamoDB left unread, and finds every entry once', async () => {
    const entries = Array.from({ length: 150 }, (_, i) => ({
      entry: {
        broadcastId: 'b-faults',
        accountId: `acct-${i}`,
        channel: 'slack',
        recipient: `C${i}`,
        senderId: 'ines',
        status: 'sent',
        claimedAt: '2026-11-18T15:00:00.000Z',
        asCompany: true,
      } satisfies BroadcastLogEntry,
      firstAttemptAt: '2026-11-18T15:00:00.000Z',
    }));
    faults.failNext('BatchWriteItem', { kind: 'partial', process: 10 }, 3);
    await a.log.putEntries(entries);
    // Two reads of 100 and 50: part-done, throttled past the SDK, part-done again.
    faults.failNext('BatchGetItem', { kind: 'partial', process: 30 }, 2);
    faults.failNext('BatchGetItem', { kind: 'throttle' }, 4);
    faults.failNext('BatchGetItem', { kind: 'partial', process: 5 }, 1);
    const found = await a.log.getEntries(entries.map((e) => e.entry));
    expect(faults.counts('BatchGetItem').unprocessed).toBeGreaterThan(0);
    expect(found.size).toBe(150);
    for (const { entry } of entries) {
      const sk = `LOG#${entry.accountId}#${entry.channel}#${entry.recipient}`;
      expect(found.get(sk)?.entry).toEqual(entry);
    }
  });
});

describe('Query, page by page', () => {
  it('asks again for a page throttled past the SDK, from where it left off', async () => {
    const list = items('PAGES', 40);
    await put(list);
    const before = faults.counts('Query').calls;
    faults.failNext('Query', { kind: 'throttle' }, 4);
    const paged = await a.query.queryAll(a.db.dynamodb, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PAGES' },
      Limit: 15,
    });
    expect(paged).toEqual(list);
    // 4 throttled + pages of 15, 15, 10 and the empty one after (LastEvaluatedKey on a full last page).
    expect(faults.counts('Query').calls - before).toBeGreaterThanOrEqual(4 + 3);
    expect(faults.counts('Query').throttled).toBe(4);
  });
});
