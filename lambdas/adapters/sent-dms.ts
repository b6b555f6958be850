import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';

/**
 * Where each notice DM went, under the key that makes it one notice (services/dm-once.ts): a step that
 * runs again finds the DM its first run posted. Kept a month (the TTL), well past any execution.
 */
const KEEP_SECONDS = 30 * 24 * 3600;

const key = (dmKey: string) => ({
  pk: `DM#${createHash('sha256').update(dmKey).digest('base64url')}`,
  sk: 'META',
});

export interface SentDm {
  channel: string;
  ts: string;
}

export async function findSentDm(dmKey: string): Promise<SentDm | undefined> {
  const out = await dynamodb.send(
    new GetCommand({ TableName: tableName(), Key: key(dmKey), ConsistentRead: true }),
  );
  const item = out.Item;
  return item && typeof item.channel === 'string' && typeof item.ts === 'string'
    ? { channel: item.channel, ts: item.ts }
    : undefined;
}

export async function recordSentDm(dmKey: string, dm: SentDm, nowMs = Date.now()): Promise<void> {
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...key(dmKey), ...dm, expiresAt: Math.floor(nowMs / 1000) + KEEP_SECONDS },
    }),
  );
}
