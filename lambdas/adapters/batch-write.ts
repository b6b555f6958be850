import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

export type WriteRequest = NonNullable<
  ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
>[string][number];

/** DynamoDB takes at most this many writes per BatchWriteItem. */
const PER_REQUEST = 25;
const RETRIES = 8;

/**
 * Writes every request, 25 to a BatchWriteItem, sending back what DynamoDB left unprocessed (with backoff)
 * until it is all taken; throws when it still is not. The client is passed in, as for queryAll, because the
 * CLI writes the roster with a client of its own.
 */
export async function writeAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (let i = 0; i < requests.length; i += PER_REQUEST) {
    let pending: WriteRequest[] = requests.slice(i, i + PER_REQUEST);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > RETRIES)
        throw new Error(`DynamoDB kept ${pending.length} writes to ${tableName} unprocessed`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = result.UnprocessedItems?.[tableName] ?? [];
    }
  }
}
