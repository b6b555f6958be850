import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operations, toWire } from './api.ts';
import type { LocalEngine } from './engine.ts';
import { SfnApiError } from './errors.ts';

/** Requests carry at most 256 KiB of payload; leave room for JSON escaping. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const TARGET_PREFIX = 'AWSStepFunctions.';

class TooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

const fail = (res: ServerResponse, status: number, type: string, message: string): void =>
  send(res, status, { __type: type, message });

/**
 * The AWS JSON 1.0 protocol as the SDK and CLI speak it: `POST /`, `X-Amz-Target: AWSStepFunctions.<Op>`,
 * errors as HTTP 400 `{ "__type", "message" }`. Signatures are not checked (any credentials work).
 */
async function handle(engine: LocalEngine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.headers['x-amz-target'];
  const name =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (error instanceof TooLarge)
      return fail(res, 413, 'RequestEntityTooLargeException', 'Request body too large');
    throw error;
  }
  if (req.method !== 'POST' || !operation) {
    return fail(
      res,
      400,
      'UnknownOperationException',
      `Unknown operation ${String(target ?? `${req.method} ${req.url}`)}`,
    );
  }
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return fail(res, 400, 'SerializationException', 'Malformed JSON request body');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(res, 400, 'SerializationException', 'The request body must be a JSON object');
  }
  try {
    send(res, 200, toWire(await operation(engine, body as Record<string, unknown>)));
  } catch (error) {
    if (error instanceof SfnApiError) return fail(res, 400, error.name, error.message);
    console.error(`Step Functions ${name} failed:`, error);
    fail(res, 500, 'InternalFailure', error instanceof Error ? error.message : String(error));
  }
}

export interface ListeningServer {
  url: string;
  close(): Promise<void>;
}

export async function listen(engine: LocalEngine, port: number): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    handle(engine, req, res).catch((error: unknown) => {
      console.error('Step Functions request failed:', error);
      if (!res.headersSent) fail(res, 500, 'InternalFailure', 'Internal failure');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
