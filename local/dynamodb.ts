import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLE_SCHEMA } from '../lambdas/adapters/table-schema.ts';

/**
 * dynalite, in memory (or under `path`), with the product's table created from the stack's key schema.
 *
 * It runs on the main thread on purpose. On its own worker thread it took table work off the main thread,
 * but a round's deliveries then crowded out its owner asks: webhook → 50 owners' DMs went from 1.7 s to
 * 4.9 s on the bench (the budget allows 2 s), for a broadcast gain of 4.0 s → 3.3 s.
 */
export async function startDynamo(options: {
  tableName: string;
  path?: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  // Tables otherwise stay CREATING for 500 ms (docs/architecture.md, "Facts that bite").
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const key = (partition: string, sort: string): KeySchemaElement[] => [
    { AttributeName: partition, KeyType: 'HASH' },
    { AttributeName: sort, KeyType: 'RANGE' },
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: options.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          TABLE_SCHEMA.partitionKey,
          TABLE_SCHEMA.sortKey,
          ...TABLE_SCHEMA.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
        ].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
        KeySchema: key(TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey),
        GlobalSecondaryIndexes: TABLE_SCHEMA.indexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: key(index.partitionKey, index.sortKey),
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    // A table kept on disk from an earlier run is fine.
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  } finally {
    client.destroy();
  }
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
