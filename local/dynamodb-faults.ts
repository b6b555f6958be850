import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from './http-server.ts';
import { text } from 'node:stream/consumers';

/**
 * A small proxy in front of dynalite, which never throttles and always processes a whole batch: on
 * request it answers what DynamoDB does under load — ProvisionedThroughputExceededException or
 * ThrottlingException (HTTP 400, nothing done), or a BatchWriteItem / BatchGetItem that processes only
 * part of its items and returns the rest as UnprocessedItems / UnprocessedKeys — and otherwise passes
 * every request through unchanged. The real SDK client talks to it (AWS_ENDPOINT_URL_DYNAMODB).
 */
export type DynamoOperation = 'BatchWriteItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'GetItem';

export type DynamoFault =
  /** Refused before anything is done, as DynamoDB throttles (the SDK retries these itself first). */
  | { kind: 'throttle'; code?: 'ProvisionedThroughputExceededException' | 'ThrottlingException' }
  /** A batch of which only the first `process` items per table are done; the rest come back unprocessed. */
  | { kind: 'partial'; process: number };

export interface DynamoFaults {
  url: string;
  /** The next `count` calls of `operation` answer with `fault`. */
  failNext(operation: DynamoOperation, fault: DynamoFault, count?: number): void;
  stopFailing(): void;
  /** Per operation: calls seen, calls throttled, items handed back unprocessed. */
  counts(operation: DynamoOperation): { calls: number; throttled: number; unprocessed: number };
  close(): Promise<void>;
}

const THROTTLE_TYPES = {
  ProvisionedThroughputExceededException:
    'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  ThrottlingException: 'com.amazon.coral.availability#ThrottlingException',
} as const;

type Batch = Record<string, unknown[] | { Keys: unknown[] }>;

/** Splits each table's part of a batch into what is sent on and what is handed back. */
function split(operation: DynamoOperation, body: Record<string, unknown>, process: number) {
  const items = body.RequestItems as Batch;
  const sent: Batch = {};
  const held: Batch = {};
  let count = 0;
  for (const [table, part] of Object.entries(items)) {
    const list = Array.isArray(part) ? part : part.Keys;
    const keep = list.slice(0, process);
    const rest = list.slice(process);
    count += rest.length;
    if (operation === 'BatchGetItem') {
      const get = part as { Keys: unknown[] };
      if (keep.length > 0) sent[table] = { ...get, Keys: keep };
      if (rest.length > 0) held[table] = { ...get, Keys: rest };
    } else {
      if (keep.length > 0) sent[table] = keep;
      if (rest.length > 0) held[table] = rest;
    }
  }
  return { sent, held, count };
}

export async function startDynamoFaults(targetUrl: string): Promise<DynamoFaults> {
  const queued = new Map<string, DynamoFault[]>();
  const tally = new Map<string, { calls: number; throttled: number; unprocessed: number }>();
  const tallyOf = (op: string) => {
    let t = tally.get(op);
    if (!t) tally.set(op, (t = { calls: 0, throttled: 0, unprocessed: 0 }));
    return t;
  };

  async function forward(req: IncomingMessage, body: string): Promise<Response> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers[name] = value;
    }
    return fetch(`${targetUrl}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await text(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const t = tallyOf(operation);
    t.calls += 1;
    const fault = queued.get(operation)?.shift();
    if (fault?.kind === 'throttle') {
      t.throttled += 1;
      const code = fault.code ?? 'ProvisionedThroughputExceededException';
      return reply(res, 400, JSON.stringify({ __type: THROTTLE_TYPES[code], message: 'Rate exceeded' }));
    }
    const batch = operation === 'BatchWriteItem' || operation === 'BatchGetItem';
    if (fault?.kind === 'partial' && batch) {
      const request = JSON.parse(body) as Record<string, unknown>;
      const { sent, held, count } = split(operation, request, fault.process);
      t.unprocessed += count;
      const heldKey = operation === 'BatchWriteItem' ? 'UnprocessedItems' : 'UnprocessedKeys';
      // Nothing left to send on: DynamoDB would answer the whole batch unprocessed.
      if (Object.keys(sent).length === 0) return reply(res, 200, JSON.stringify({ [heldKey]: held }));
      const answer = await forward(req, JSON.stringify({ ...request, RequestItems: sent }));
      const out = (await answer.json()) as Record<string, unknown>;
      if (!answer.ok) return reply(res, answer.status, JSON.stringify(out));
      const already = (out[heldKey] ?? {}) as Batch;
      return reply(res, 200, JSON.stringify({ ...out, [heldKey]: { ...already, ...held } }));
    }
    const answer = await forward(req, body);
    reply(res, answer.status, await answer.text(), answer.headers.get('x-amz-crc32'));
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        reply(res, 502, JSON.stringify({ message: `dynamodb fault proxy: ${String(error)}` }));
      else res.end();
    });
  });
  const url = await listenLocally(server);
  return {
    url,
    failNext(operation, fault, count = 1) {
      const list = queued.get(operation) ?? [];
      for (let i = 0; i < count; i++) list.push(fault);
      queued.set(operation, list);
    },
    stopFailing: () => queued.clear(),
    counts: (operation) => ({ ...tallyOf(operation) }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A changed body has no valid checksum; an unchanged one keeps dynalite's. */
function reply(res: ServerResponse, status: number, body: string, crc32?: string | null): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    ...(crc32 ? { 'x-amz-crc32': crc32 } : {}),
  });
  res.end(body);
}
