import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unlessThrottled } from './dynamodb-retry.ts';

/**
 * Every item a query matches, across all its pages; a page DynamoDB throttles is asked for again with the
 * batch paths' backoff (dynamodb-retry.ts), from where it left off. The client is passed in rather than taken from
 * dynamodb.ts because the CLI runs roster-store.ts with a client of its own and must not construct the
 * function's client or read its environment.
 */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const from = start;
    const page = await unlessThrottled(`a page of ${input.TableName ?? 'the table'}`, () =>
      client.send(new QueryCommand({ ...input, ...(from ? { ExclusiveStartKey: from } : {}) })),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
