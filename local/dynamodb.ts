import { Worker } from 'node:worker_threads';
import { CreateTableCommand, DynamoDBClient, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../lambdas/adapters/table-schema.ts';

/** dynalite, in memory (or under `path`), with the product's table created from the stack's key schema. */
export async function startDynamo(options: {
  tableName: string;
  path?: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), {
    workerData: { path: options.path },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port?: number; error?: string }) =>
      message.port ? resolve(message.port) : reject(new Error(`dynalite did not start: ${message.error}`)),
    );
  });
  const url = `http://127.0.0.1:${port}`;
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
    close: async () => {
      const closed = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('close');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      await worker.terminate();
    },
  };
}
