import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { writeAll } from './batch-write.ts';
import { untilAllProcessed } from './dynamodb-retry.ts';
import { dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import { accountSortKey, logKey, strip, type LogRef } from './notification-log.ts';
import type { AnyLogEntry } from '../domain/records/notification.ts';

/**
 * Many log items at once, for a writer that alone holds them (a broadcast batch run under its lease,
 * adapters/broadcast-runs.ts): whole items written 25 per request, without conditions. Everyone else
 * claims and completes items one by one (notification-log.ts).
 */
export interface StoredEntry {
  entry: AnyLogEntry;
  /** When the first attempt began (kept, so the by-account index keeps the item where it was). */
  firstAttemptAt?: string;
}

const READ_LIMIT = 100;

/** The items that exist among `refs`, by their sort key (logKey(ref).sk); strongly consistent. */
export async function getEntries(refs: readonly LogRef[]): Promise<Map<string, StoredEntry>> {
  const found = new Map<string, StoredEntry>();
  for (let i = 0; i < refs.length; i += READ_LIMIT) {
    const keys: Record<string, unknown>[] = refs.slice(i, i + READ_LIMIT).map((ref) => logKey(ref));
    await untilAllProcessed('log item reads', keys, async (pending) => {
      const out = await dynamodb.send(
        new BatchGetCommand({
          RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) {
        const sort = typeof item.gsi1sk === 'string' ? item.gsi1sk : '';
        found.set(String(item.sk), {
          entry: strip(item),
          ...(sort ? { firstAttemptAt: sort.slice(0, sort.indexOf('#')) } : {}),
        });
      }
      return out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    });
  }
  return found;
}

/** Writes whole items (replacing what is there); throws when DynamoDB would not take them all. */
export async function putEntries(items: readonly Required<StoredEntry>[]): Promise<void> {
  await writeAll(
    dynamodb,
    tableName(),
    items.map(({ entry, firstAttemptAt }) => ({
      PutRequest: {
        Item: {
          ...entry,
          ...logKey(entry),
          gsi1pk: `ACCOUNT#${entry.accountId}`,
          gsi1sk: accountSortKey(entry, firstAttemptAt),
        },
      },
    })),
  );
}
