import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { untilAllProcessed } from './dynamodb-retry.ts';

export type WriteRequest = NonNullable<
  ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
>[string][number];

/** DynamoDB takes at most this many writes per BatchWriteItem. */
const PER_REQUEST = 25;

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
  for (let i = 0; i < requests.length; i += PER_REQUEST) {
    await untilAllProcessed(`writes to ${tableName}`, requests.slice(i, i + PER_REQUEST), async (pending) => {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      return result.UnprocessedItems?.[tableName] ?? [];
    });
  }
}
