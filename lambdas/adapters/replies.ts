import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import { queryAll } from './query-all.ts';
import type { ReplyEntry } from '../domain/records/notification.ts';

/**
 * Customers' replies (records/notification.ts ReplyEntry) beside the log lines of what they answered:
 * under the incident (INCIDENT#<id> / REPLY#<account>#<ts>), or under a broadcast about no incident. Kept
 * apart from the LOG# items, which every reader of the log takes to be sends.
 */
type ReplyRef = Pick<ReplyEntry, 'incidentId' | 'broadcastId' | 'accountId' | 'messageTs'>;

export function replyKey(ref: ReplyRef): { pk: string; sk: string } {
  const pk = ref.incidentId
    ? `INCIDENT#${ref.incidentId}`
    : ref.broadcastId
      ? `BROADCAST#${ref.broadcastId}`
      : undefined;
  if (!pk)
    throw new Error(`Reply ${ref.messageTs} of ${ref.accountId} names neither an incident nor a broadcast`);
  return { pk, sk: `REPLY#${ref.accountId}#${ref.messageTs}` };
}

/**
 * Records the reply once: a second delivery of the same message (Lambda retrying the follow-up) finds
 * the first record and goes on forwarding under the same keys. Returns whether it was new.
 */
export async function recordReply(reply: ReplyEntry): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...replyKey(reply), ...reply },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/** The reply is out: where it went, and what Slack refused for good. */
export async function markForwarded(
  ref: ReplyRef,
  at: string,
  outcome: Pick<ReplyEntry, 'forwardedTo' | 'undeliverable'>,
): Promise<void> {
  const refused = outcome.undeliverable ?? [];
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: replyKey(ref),
      UpdateExpression: `SET #s = :s, forwardedAt = if_not_exists(forwardedAt, :at), forwardedTo = :to${
        refused.length > 0 ? ', undeliverable = :refused' : ''
      }`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':s': 'forwarded',
        ':at': at,
        ':to': outcome.forwardedTo,
        ...(refused.length > 0 ? { ':refused': refused } : {}),
      },
    }),
  );
}

/** Every reply logged on an incident, oldest message first within each account. */
export async function repliesOf(incidentId: string): Promise<ReplyEntry[]> {
  return replyItems(`INCIDENT#${incidentId}`);
}

/** Replies to a broadcast about no incident (those about an incident sit under the incident). */
export async function broadcastRepliesOf(broadcastId: string): Promise<ReplyEntry[]> {
  return replyItems(`BROADCAST#${broadcastId}`);
}

async function replyItems(pk: string): Promise<ReplyEntry[]> {
  const items = await queryAll(dynamodb, {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': pk, ':p': 'REPLY#' },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as ReplyEntry);
}
