import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';

/**
 * PagerDuty delivers at least once. Two things repeat: a delivery (its retries carry the same
 * X-Webhook-Id) and an event (the same event id reaches us through a second subscription, or a redelivery
 * that lost its header). Each is claimed before processing and marked done after.
 *
 * A claim still "processing" is either in flight right now or left by a crashed attempt. In flight: the
 * caller answers 429 so PagerDuty tries again later (429 is retried and never counts toward disabling the
 * subscription), rather than 2xx, which would lose the event if the first attempt then fails. Crashed:
 * after a minute — far longer than the function may run — the claim is taken over.
 */
const KEEP_SECONDS = 7 * 24 * 3600;
export const TAKEOVER_MS = 60_000;

/**
 * `follow-up`: one asynchronous follow-up of a front door (follow-up.ts), which Lambda may deliver twice.
 * `slack-event`: an Events API event by its `event_id`, which Slack redelivers when not answered in 3 s.
 */
export type DedupKey = { kind: 'delivery' | 'event' | 'follow-up' | 'slack-event'; id: string };
export type ClaimOutcome = 'claimed' | 'done' | 'in-flight';

/** Header and event ids are the sender's strings: anything unusual is hashed so it always makes a valid key. */
export function keyOf(key: DedupKey): { pk: string; sk: string } {
  const safe = /^[A-Za-z0-9._:-]{1,200}$/.test(key.id)
    ? key.id
    : `sha256-${createHash('sha256').update(key.id, 'utf8').digest('hex')}`;
  return { pk: `WEBHOOK#${key.kind}:${safe}`, sk: 'META' };
}

export async function claim(key: DedupKey, now: Date): Promise<ClaimOutcome> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const claimed = await conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keyOf(key),
          status: 'processing',
          claimedAt: now.getTime(),
          expiresAt: nowSeconds + KEEP_SECONDS,
        },
        // dynalite keeps expired items (no TTL sweeper), so an expired record counts as absent.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
        ExpressionAttributeValues: { ':nowSeconds': nowSeconds },
      }),
    ),
  );
  if (claimed) return 'claimed';
  const existing = await dynamodb.send(
    new GetCommand({ TableName: tableName(), Key: keyOf(key), ConsistentRead: true }),
  );
  const item = existing.Item;
  if (!item) return claim(key, now); // released between our put and our read
  if (item.status === 'done') return 'done';
  if (Number(item.claimedAt) >= now.getTime() - TAKEOVER_MS) return 'in-flight';
  const tookOver = await conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keyOf(key),
        UpdateExpression: 'SET claimedAt = :now',
        ConditionExpression: '#s = :processing AND claimedAt = :seen',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':now': now.getTime(),
          ':processing': 'processing',
          ':seen': Number(item.claimedAt),
        },
      }),
    ),
  );
  return tookOver ? 'claimed' : 'in-flight';
}

/** Marks the claim done with what came of it (ids only: `detail` is read back by operators and tests). */
export async function finish(
  key: DedupKey,
  outcome: string,
  detail: Record<string, string> = {},
): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keyOf(key),
      UpdateExpression: 'SET #s = :done, outcome = :o, detail = :d',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':o': outcome, ':d': detail },
    }),
  );
}

/** Processing failed: forget the claim so PagerDuty's retry is processed rather than dropped. */
export async function release(key: DedupKey): Promise<void> {
  await dynamodb.send(new DeleteCommand({ TableName: tableName(), Key: keyOf(key) }));
}
