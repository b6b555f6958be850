import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';

/**
 * Ids for incidents declared in Slack, and which incident a Slack channel is about.
 *
 *   IDCOUNTER#<prefix><yyyymmdd> / META     a day's counter (TTL)
 *   SLACKCHANNEL#<channel id> / META        the incident last declared in that channel (TTL)
 */
const KEEP_SECONDS = 30 * 24 * 3600;

/**
 * A recognisable id: a letter for where it came from (S declared in Slack, M maintenance), the UTC date
 * and the day's count — "S20261105-01". PagerDuty's ids never look like this, so the two cannot collide.
 */
export async function nextIncidentId(prefix: 'S' | 'M', now: Date): Promise<string> {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const out = await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: `IDCOUNTER#${prefix}${day}`, sk: 'META' },
      UpdateExpression: 'ADD #n :one SET expiresAt = :exp',
      ExpressionAttributeNames: { '#n': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':exp': Math.floor(now.getTime() / 1000) + KEEP_SECONDS },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const count = Number(out.Attributes?.count);
  return `${prefix}${day}-${String(count).padStart(2, '0')}`;
}

const channelKey = (channelId: string) => ({ pk: `SLACKCHANNEL#${channelId}`, sk: 'META' });

/** Slack conversation ids: C (channel), G (private/group), D (direct message). */
export function isChannelId(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^[CDG][A-Z0-9]{2,20}$/.test(value);
}

/** `/comms update` and `resolve` in this channel now mean this incident. */
export async function bindChannel(channelId: string, incidentId: string, now: Date): Promise<void> {
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...channelKey(channelId),
        incidentId,
        boundAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
      },
    }),
  );
}

export async function incidentOfChannel(channelId: string, now: Date): Promise<string | undefined> {
  const out = await dynamodb.send(
    new GetCommand({ TableName: tableName(), Key: channelKey(channelId), ConsistentRead: true }),
  );
  const item = out.Item;
  // dynalite never expires items; an expired binding is treated as absent.
  if (!item || Number(item.expiresAt) < now.getTime() / 1000) return undefined;
  return typeof item.incidentId === 'string' ? item.incidentId : undefined;
}
