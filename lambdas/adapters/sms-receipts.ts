import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import { logKey, type LogRef } from './notification-log.ts';
import type { DeliveryStatus } from '../domain/records/notification.ts';

/**
 * Twilio's delivery receipts on the notification log. A receipt names only the message SID, so the send
 * leaves a pointer `SMS#<sid>` → the log item's key (table-schema.ts): one GetItem finds the item, no scan
 * and no index. Receipts only ever move a log item forward (sent → delivered / undelivered / failed), so
 * one arriving late or twice changes nothing; the send's own fields (status, claim, lease) are never touched.
 */

/** Carriers report within hours; Twilio gives up on a message long before a week. */
export const POINTER_KEEP_SECONDS = 7 * 24 * 3600;

/** Later receipts rank higher; equal ranks are alternatives (a message ends one way only). */
const RANK: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, undelivered: 2, failed: 2 };

export interface LogItemKey {
  pk: string;
  sk: string;
}

const pointerKey = (sid: string) => ({ pk: `SMS#${sid}`, sk: 'META' });

/** Remembers which log item an SMS belongs to. Idempotent: the same SID always points at the same item. */
export async function rememberSms(sid: string, ref: LogRef, now: Date = new Date()): Promise<void> {
  const { pk, sk } = logKey(ref);
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...pointerKey(sid),
        logPk: pk,
        logSk: sk,
        expiresAt: Math.floor(now.getTime() / 1000) + POINTER_KEEP_SECONDS,
      },
    }),
  );
}

/** The log item an SMS belongs to, if this product sent it (and not too long ago). */
export async function findSmsLog(sid: string, now: Date = new Date()): Promise<LogItemKey | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: pointerKey(sid) }));
  const item = out.Item;
  // dynalite never deletes expired items, and DynamoDB only within days: expiry is checked here.
  if (!item || Number(item.expiresAt) < now.getTime() / 1000) return undefined;
  if (typeof item.logPk !== 'string' || typeof item.logSk !== 'string') return undefined;
  return { pk: item.logPk, sk: item.logSk };
}

export interface Receipt {
  status: DeliveryStatus;
  /** For undelivered / failed: "<ErrorCode> <what it means>". */
  error?: string;
}

/** Which incident and account an SMS log item is about (ids only). */
export interface ReceiptSubject {
  incidentId?: string;
  accountId?: string;
}

/**
 * Records a receipt on the log item unless one as late or later is already there (an earlier or repeated
 * receipt, or no such log item any more): what the SMS was about when it was recorded, else undefined.
 */
export async function recordReceipt(
  key: LogItemKey,
  receipt: Receipt,
  now: Date = new Date(),
): Promise<ReceiptSubject | undefined> {
  const earlier = (Object.keys(RANK) as DeliveryStatus[]).filter((s) => RANK[s] < RANK[receipt.status]);
  const values: Record<string, unknown> = { ':s': receipt.status, ':at': now.toISOString() };
  earlier.forEach((status, i) => (values[`:e${i}`] = status));
  const sets = ['deliveryStatus = :s', 'deliveryUpdatedAt = :at'];
  if (receipt.status === 'delivered') sets.push('deliveredAt = :at');
  if (receipt.error !== undefined) {
    sets.push('deliveryError = :err');
    values[':err'] = receipt.error;
  }
  const notLater =
    earlier.length > 0
      ? `(attribute_not_exists(deliveryStatus) OR deliveryStatus IN (${earlier.map((_, i) => `:e${i}`).join(', ')}))`
      : 'attribute_not_exists(deliveryStatus)';
  let subject: ReceiptSubject | undefined;
  await conditionally(async () => {
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        // Never creates an item: a pointer outliving its log item records nothing.
        ConditionExpression: `attribute_exists(pk) AND ${notLater}`,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = out.Attributes ?? {};
    subject = {
      ...(typeof item.incidentId === 'string' ? { incidentId: item.incidentId } : {}),
      ...(typeof item.accountId === 'string' ? { accountId: item.accountId } : {}),
    };
  });
  return subject;
}
