import { asJson } from './json.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally, readBody } from './http-server.ts';
import { randomUUID } from 'node:crypto';
import type { FollowUpPolicy } from '../lambdas/contract/functions.ts';
import type { LambdaLikeContext, LocalLambdaHandler } from './stepfunctions/index.ts';

/**
 * Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`) for the functions of this process,
 * reached by the real @aws-sdk/client-lambda through AWS_ENDPOINT_URL_LAMBDA. A synchronous invocation
 * answers the handler's result (a failure as Lambda reports one: 200 with X-Amz-Function-Error); an
 * asynchronous one ("Event") answers 202 at once and runs the handler in the background the way Lambda's
 * event queue does: a failure (a throw, or running past the function's timeout) is retried after 1 and
 * 2 minutes (divided by the time scale), up to the function's maximum retry attempts, and an event that
 * still fails — or grows older than its maximum event age — becomes a dead letter shaped like the record
 * Lambda sends to an on-failure destination, readable at GET /dead-letters (and on GET /).
 */
export interface LocalFunction {
  /** The deployed name (what FunctionName resolves to). */
  name: string;
  timeoutSeconds: number;
  /** How its asynchronous invocations are retried; Lambda's defaults (2 retries, 6 h) when absent. */
  followUp?: FollowUpPolicy;
  handler: () => Promise<LocalLambdaHandler>;
  context: () => LambdaLikeContext;
}

export interface LambdaApiOptions {
  /** The function a FunctionName (name, ARN or partial ARN, with or without qualifier) means. */
  find: (functionName: string) => LocalFunction | undefined;
  /** Waits before the retries of an asynchronous invocation; Lambda's are 1 and 2 minutes. */
  retryDelaysMs?: readonly number[];
  timeScale?: number;
  port?: number;
}

/** The record Lambda sends to an on-failure destination (SQS) for an event it gave up on. */
export interface DeadLetter {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetriesExhausted' | 'EventAgeExceeded';
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion: string; functionError: string };
  responsePayload: { errorType: string; errorMessage: string; trace?: string[] };
}

/** An asynchronous event, as far as it has got. */
export interface AsyncEvent {
  requestId: string;
  functionName: string;
  payload: unknown;
  state: 'queued' | 'running' | 'waiting to retry' | 'succeeded' | 'dead-lettered';
  attempts: number;
}

export interface LocalLambdaApi {
  url: string;
  /** Events given up on, oldest first. */
  deadLetters(): DeadLetter[];
  /** Every asynchronous event so far and how far it has got, oldest first. */
  asyncEvents(): AsyncEvent[];
  /** Asynchronous invocations queued, waiting to retry or running. */
  pending(): number;
  close(): Promise<void>;
}

const LAMBDA_RETRY_DELAYS_MS = [60_000, 120_000];
const LAMBDA_DEFAULT_POLICY: FollowUpPolicy = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 6 * 3600 };
/** Lambda's payload limits: 1 MB queued, 6 MB synchronous. */
const MAX_EVENT_BYTES = 1024 * 1024;
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

type Failure = DeadLetter['responsePayload'];

function failureOf(error: unknown): Failure {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: 'Error', errorMessage: String(error) };
}

class TimedOut extends Error {
  constructor(seconds: number) {
    super(`Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

/** Runs the handler as Lambda would: JSON in, JSON out, stopped (for the caller) at the function's timeout. */
async function run(fn: LocalFunction, payload: unknown): Promise<unknown> {
  const handler = await fn.handler();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimedOut(fn.timeoutSeconds)), fn.timeoutSeconds * 1000);
    timer.unref();
  });
  try {
    const result = await Promise.race([handler(payload, fn.context()), deadline]);
    return asJson(result);
  } finally {
    clearTimeout(timer);
  }
}

/** "name", "name:qualifier", "123456789012:function:name", or a full ARN → the function's name. */
export function functionNameOf(value: string): string {
  const afterFunction = /(?:^|:)function:([^:]+)/.exec(value)?.[1];
  return afterFunction ?? value.split(':')[0] ?? value;
}

export async function startLambdaApi(options: LambdaApiOptions): Promise<LocalLambdaApi> {
  const delays = (options.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS).map((ms) => ms / (options.timeScale ?? 1));
  const dead: DeadLetter[] = [];
  const events: AsyncEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let pending = 0;
  let closed = false;

  /** One asynchronous event through its attempts, as Lambda's event queue runs it. */
  function enqueue(fn: LocalFunction, payload: unknown, requestId: string): void {
    const policy = fn.followUp ?? LAMBDA_DEFAULT_POLICY;
    const queuedAt = Date.now();
    const event: AsyncEvent = { requestId, functionName: fn.name, payload, state: 'queued', attempts: 0 };
    events.push(event);
    pending += 1;
    const giveUp = (
      condition: DeadLetter['requestContext']['condition'],
      count: number,
      failure: Failure,
    ) => {
      dead.push({
        version: '1.0',
        timestamp: new Date().toISOString(),
        requestContext: {
          requestId,
          functionArn: `${fn.context().invokedFunctionArn}:$LATEST`,
          condition,
          approximateInvokeCount: count,
        },
        requestPayload: payload,
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: failure,
      });
      event.state = 'dead-lettered';
      pending -= 1;
    };
    const attempt = (count: number): void => {
      if (closed) return;
      event.state = 'running';
      event.attempts = count;
      run(fn, payload).then(
        () => {
          event.state = 'succeeded';
          pending -= 1;
        },
        (error: unknown) => {
          const failure = failureOf(error);
          console.error(`[lambda] ${fn.name} event ${requestId}, attempt ${count}: ${failure.errorMessage}`);
          const wait = delays[count - 1] ?? delays.at(-1) ?? 0;
          if (count > policy.maximumRetryAttempts) return giveUp('RetriesExhausted', count, failure);
          const ageMs = Date.now() + wait - queuedAt;
          if (ageMs > (policy.maximumEventAgeSeconds * 1000) / (options.timeScale ?? 1))
            return giveUp('EventAgeExceeded', count, failure);
          event.state = 'waiting to retry';
          const timer = setTimeout(() => {
            timers.delete(timer);
            attempt(count + 1);
          }, wait);
          timers.add(timer);
        },
      );
    };
    // Queued, not run inline: the caller has its 202 before the handler starts.
    setImmediate(() => attempt(1));
  }

  async function invoke(req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> {
    const name = functionNameOf(decodeURIComponent(rawName));
    const fn = options.find(name);
    const requestId = randomUUID();
    if (!fn) {
      return sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`, requestId);
    }
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const body = await readBody(req, type === 'Event' ? MAX_EVENT_BYTES : MAX_REQUEST_BYTES);
    if (body === 'too-large') {
      return sendError(
        res,
        413,
        'RequestTooLargeException',
        'Request must be smaller than the limit',
        requestId,
      );
    }
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
    } catch {
      return sendError(
        res,
        400,
        'InvalidRequestContentException',
        'Could not parse request body into json',
        requestId,
      );
    }
    if (type === 'DryRun') return send(res, 204, '', { 'x-amzn-requestid': requestId });
    if (type === 'Event') {
      enqueue(fn, payload, requestId);
      return send(res, 202, '', { 'x-amzn-requestid': requestId });
    }
    if (type !== 'RequestResponse') {
      return sendError(
        res,
        400,
        'InvalidParameterValueException',
        `Unknown InvocationType ${type}`,
        requestId,
      );
    }
    const headers = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' };
    try {
      send(res, 200, JSON.stringify(await run(fn, payload)), headers);
    } catch (error) {
      send(res, 200, JSON.stringify(failureOf(error)), { ...headers, 'x-amz-function-error': 'Unhandled' });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    const work =
      req.method === 'POST' && match?.[1]
        ? invoke(req, res, match[1])
        : req.method === 'GET' && url.pathname === '/dead-letters'
          ? Promise.resolve(send(res, 200, JSON.stringify(dead), { 'content-type': 'application/json' }))
          : req.method === 'GET' && url.pathname === '/'
            ? Promise.resolve(page(res, dead))
            : Promise.resolve(
                sendError(res, 404, 'UnknownOperationException', 'Unknown operation', randomUUID()),
              );
    work.catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'ServiceException', String(error), randomUUID());
      else res.end();
    });
  });
  const url = await listenLocally(server, options.port);
  return {
    url,
    deadLetters: () => structuredClone(dead),
    asyncEvents: () => events.map((e) => ({ ...e })),
    pending: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

/** Lambda's error answer: the error type in a header (what the SDK reads) and a JSON message. */
function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
): void {
  send(res, status, JSON.stringify({ Type: 'User', message }), {
    'x-amzn-errortype': type,
    'x-amzn-requestid': requestId,
  });
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The dead letters for a person: what failed, when, and why. */
function page(res: ServerResponse, dead: readonly DeadLetter[]): void {
  const rows = dead
    .map(
      (d) =>
        `<tr><td>${escape(d.timestamp)}</td><td>${escape(functionNameOf(d.requestContext.functionArn))}</td>` +
        `<td>${escape(d.requestContext.condition)} (${d.requestContext.approximateInvokeCount} tries)</td>` +
        `<td>${escape(`${d.responsePayload.errorType}: ${d.responsePayload.errorMessage}`)}</td>` +
        `<td><code>${escape(JSON.stringify(d.requestPayload).slice(0, 300))}</code></td></tr>`,
    )
    .join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><title>Lambda dead letters</title><h1>Dead letters (${dead.length})</h1>` +
      '<p>Asynchronous invocations that failed every try or grew too old. JSON: <a href="/dead-letters">/dead-letters</a></p>' +
      `<table border="1" cellpadding="4"><tr><th>when</th><th>function</th><th>why</th><th>error</th><th>event</th></tr>${rows}</table>`,
  );
}
