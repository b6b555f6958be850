import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLocally } from '../http-server.ts';
import { text } from 'node:stream/consumers';
import { timingSafeEqual } from 'node:crypto';
import type { CallbackAttempt } from './callbacks.ts';
import { postStatusCallback } from './callbacks.ts';
import type { TwilioMessageStatus, TwilioStoredMessage } from './messages.ts';
import { createMessage, toResource, TwilioApiError } from './messages.ts';
import { renderTwilioPage } from './page.ts';

export type { CallbackAttempt } from './callbacks.ts';
export { twilioSignature } from './callbacks.ts';
export type { TwilioMessageStatus, TwilioStoredMessage } from './messages.ts';

export interface TwilioStandInOptions {
  port?: number;
  accountSid: string;
  authToken: string;
  /** Delay before each status step (queued → sent → delivered). Default 50 ms. */
  statusStepMs?: number;
}

export type TwilioFault = { status: 500 } | { status: 503 } | { status: 429 };

/** How the carrier answers for a number: Twilio's final status and its error (e.g. 30006 landline). */
export interface DeliveryFailure {
  status: 'undelivered' | 'failed';
  errorCode: number;
}

export interface TwilioStandIn {
  /** Base URL (what `api.twilio.com` is in production), e.g. for TWILIO_API_URL. */
  url: string;
  messages(filter?: { to?: string }): TwilioStoredMessage[];
  /** The next `count` message creations answer with this fault (nothing is stored or sent). */
  failNext(fault: TwilioFault, count?: number): void;
  /**
   * Messages accepted for `to` from now on end `undelivered` (after `sent`) or `failed` with this error
   * code instead of `delivered`, as a carrier reports an unreachable handset or a landline.
   */
  failDelivery(to: string, failure: DeliveryFailure): void;
  /**
   * Posts one status callback for a message without changing it: a late or repeated callback, as Twilio
   * sends them when its own retries or the carrier's receipts arrive out of order.
   */
  replayStatus(sid: string, status: TwilioMessageStatus, errorCode?: number): Promise<CallbackAttempt>;
  /** Status callbacks attempted so far, in order. */
  callbacks(): CallbackAttempt[];
  on(event: 'message', listener: (m: TwilioStoredMessage) => void): void;
  close(): Promise<void>;
}

const FAULT_BODIES: Record<TwilioFault['status'], { code: number; message: string }> = {
  500: { code: 20500, message: 'Internal Server Error' },
  503: { code: 20503, message: 'Service Unavailable' },
  429: { code: 20429, message: 'Too Many Requests' },
};

/** A local Twilio Programmable Messaging API: create, fetch and list messages, with status callbacks. */
export async function startTwilioStandIn(options: TwilioStandInOptions): Promise<TwilioStandIn> {
  const stored: TwilioStoredMessage[] = [];
  const attempts: CallbackAttempt[] = [];
  const faults: TwilioFault[] = [];
  const failures = new Map<string, DeliveryFailure>();
  const timers = new Set<NodeJS.Timeout>();
  const events = new EventEmitter();
  const stepMs = options.statusStepMs ?? 50;
  const base = `/2010-04-01/Accounts/${options.accountSid}`;
  let closed = false;

  function authorized(req: IncomingMessage): boolean {
    const match = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const expected = Buffer.from(`${options.accountSid}:${options.authToken}`);
    const given = Buffer.from(match ? Buffer.from(match[1] ?? '', 'base64').toString('utf8') : '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The statuses a new message goes through after `queued`, with the error of the last one if it failed. */
  function stepsFor(to: string): { status: TwilioMessageStatus; errorCode?: number }[] {
    const failure = failures.get(to);
    if (!failure) return [{ status: 'sent' }, { status: 'delivered' }];
    // `failed`: Twilio could not send it at all; `undelivered`: sent, and the carrier reported it lost.
    return failure.status === 'failed'
      ? [failure]
      : [{ status: 'sent' }, { status: 'undelivered', errorCode: failure.errorCode }];
  }

  /** queued → sent → delivered (or a failure), each step announced to the StatusCallback if there is one. */
  function progress(
    message: TwilioStoredMessage,
    steps: { status: TwilioMessageStatus; errorCode?: number }[],
  ): void {
    const [next, ...rest] = steps;
    if (!next || closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      message.status = next.status;
      message.errorCode = next.errorCode ?? null;
      message.dateUpdated = new Date();
      if (next.status === 'sent') message.dateSent = message.dateUpdated;
      const done = message.statusCallback
        ? postStatusCallback(options.authToken, message, next.status, next.errorCode).then(
            (a) => void attempts.push(a),
          )
        : Promise.resolve();
      // The next step waits for this callback, so a receiver sees sent before delivered.
      void done.then(() => progress(message, rest));
    }, stepMs);
    timers.add(timer);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(renderTwilioPage(stored));
    }
    if (!path.startsWith('/2010-04-01/Accounts/')) return sendError(res, notFound(path));
    if (!authorized(req)) {
      res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      return sendError(res, new TwilioApiError(401, 20003, 'Authenticate'));
    }
    if (req.method === 'POST' && path === `${base}/Messages.json`) {
      const fault = faults.shift();
      if (fault)
        return sendError(
          res,
          new TwilioApiError(
            fault.status,
            FAULT_BODIES[fault.status].code,
            FAULT_BODIES[fault.status].message,
          ),
        );
      const message = createMessage(options.accountSid, new URLSearchParams(await text(req)));
      stored.push(message);
      events.emit('message', { ...message });
      progress(message, stepsFor(message.to));
      return send(res, 201, toResource(message));
    }
    if (req.method === 'GET' && path === `${base}/Messages.json`) {
      const query = new URL(req.url ?? '/', 'http://stand-in').searchParams;
      const pageSize = Math.min(Number(query.get('PageSize') ?? 50) || 50, 1000);
      const list = stored
        .filter(
          (m) =>
            (!query.get('To') || m.to === query.get('To')) &&
            (!query.get('From') || m.from === query.get('From')),
        )
        .reverse()
        .slice(0, pageSize);
      return send(res, 200, {
        messages: list.map(toResource),
        end: Math.max(list.length - 1, 0),
        first_page_uri: `${base}/Messages.json?PageSize=${pageSize}&Page=0`,
        next_page_uri: null,
        page: 0,
        page_size: pageSize,
        previous_page_uri: null,
        start: 0,
        uri: `${base}/Messages.json?PageSize=${pageSize}&Page=0`,
      });
    }
    const one = new RegExp(`^${base}/Messages/(SM[0-9a-f]{32})\\.json$`).exec(path);
    const found = one ? stored.find((m) => m.sid === one[1]) : undefined;
    if (req.method === 'GET' && found) return send(res, 200, toResource(found));
    sendError(res, notFound(path));
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof TwilioApiError) return sendError(res, error);
      if (!res.headersSent) send(res, 500, { code: 20500, message: String(error), status: 500 });
      else res.end();
    });
  });
  const url = await listenLocally(server, options.port);

  return {
    url,
    messages: (filter = {}) => stored.filter((m) => !filter.to || m.to === filter.to).map((m) => ({ ...m })),
    failNext(fault, count = 1) {
      for (let i = 0; i < count; i += 1) faults.push(fault);
    },
    failDelivery(to, failure) {
      failures.set(to, { ...failure });
    },
    async replayStatus(sid, status, errorCode) {
      const message = stored.find((m) => m.sid === sid);
      if (!message?.statusCallback) throw new Error(`No message ${sid} with a StatusCallback`);
      const attempt = await postStatusCallback(options.authToken, message, status, errorCode);
      attempts.push(attempt);
      return { ...attempt };
    },
    callbacks: () => attempts.map((a) => ({ ...a })),
    on(event, listener) {
      events.on(event, listener);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function notFound(path: string): TwilioApiError {
  return new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: TwilioApiError): void {
  send(res, error.status, error.toJson());
}
