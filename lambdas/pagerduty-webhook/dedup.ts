import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamodb } from '../adapters/dynamodb.ts';
import { tableName } from '../adapters/env.ts';

/**
 * PagerDuty delivers at least once; X-Webhook-Id is stable across its retries. A delivery is claimed
 * before it is processed and marked done after. A claim left "processing" by a crashed attempt may be
 * taken over after a minute (processing is idempotent), so a crash never turns into a lost event.
 */
const KEEP_SECONDS = 7 * 24 * 3600;
const TAKEOVER_MS = 60_000;

const key = (deliveryId: string) => ({ pk: `WEBHOOK#${deliveryId}`, sk: 'META' });

export async function claimDelivery(deliveryId: string, now: Date): Promise<'claimed' | 'duplicate'> {
  const item = {
    ...key(deliveryId),
    status: 'processing',
    claimedAt: now.getTime(),
    expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
  };
  try {
    await dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: item,
        // dynalite keeps expired items (no TTL sweeper), so an expired record counts as absent.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
        ExpressionAttributeValues: { ':nowSeconds': Math.floor(now.getTime() / 1000) },
      }),
    );
    return 'claimed';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  try {
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(deliveryId),
        UpdateExpression: 'SET claimedAt = :now',
        ConditionExpression: '#s = :processing AND claimedAt < :stale',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':now': now.getTime(),
          ':processing': 'processing',
          ':stale': now.getTime() - TAKEOVER_MS,
        },
      }),
    );
    return 'claimed';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'duplicate';
    throw error;
  }
}

export async function finishDelivery(deliveryId: string, outcome: string): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(deliveryId),
      UpdateExpression: 'SET #s = :done, outcome = :o',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':o': outcome },
    }),
  );
}

/** Processing failed: forget the claim so PagerDuty's retry is processed rather than dropped. */
export async function releaseDelivery(deliveryId: string): Promise<void> {
  await dynamodb.send(new DeleteCommand({ TableName: tableName(), Key: key(deliveryId) }));
}
