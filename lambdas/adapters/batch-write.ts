import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { untilAllProcessed } from './dynamodb-retry.ts';

export type WriteRequest = NonNullable<
  ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
>[string][number];

/** DynamoDB takes at most this many writes per BatchWriteItem. */
export const PER_REQUEST = 25;

/**
 * Writes every request, 25 to a BatchWriteItem, sending back what DynamoDB left unprocessed or throttled
 * (dynamodb-retry.ts) until it is all taken; throws when it still is not. The client is passed in, as for
 * queryAll, because the CLI writes the roster with a client of its own.
 */
export async function writeAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (const batch of batchesOf(requests)) await writeBatch(client, tableName, batch);
}

/**
 * The same, every BatchWriteItem at once: for writes a step waits on before it can hand on (the draft
 * step's item per owner, before any owner is asked), where one request after another would add a round
 * trip per 25 items.
 */
export async function writeAllAtOnce(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  await Promise.all(batchesOf(requests).map((batch) => writeBatch(client, tableName, batch)));
}

function batchesOf(requests: readonly WriteRequest[]): WriteRequest[][] {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += PER_REQUEST) batches.push(requests.slice(i, i + PER_REQUEST));
  return batches;
}

function writeBatch(client: DynamoDBDocumentClient, tableName: string, batch: WriteRequest[]): Promise<void> {
  return untilAllProcessed(`writes to ${tableName}`, batch, async (pending) => {
    const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    return result.UnprocessedItems?.[tableName] ?? [];
  });
}
