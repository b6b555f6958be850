import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from './http-server.ts';
import { text } from 'node:stream/consumers';
import { seeded } from './seeded.ts';

/**
 * A small proxy in front of aws-ses-v2-local, which cannot fail on purpose: it answers SendEmail the way
 * SES does when it throttles ("Maximum sending rate exceeded", HTTP 400, code Throttling) or breaks,
 * and otherwise passes every request through unchanged.
 */
export type SesFault =
  /** Refused before sending (nothing stored). */
  | { kind: 'throttle' }
  | { kind: 'unavailable' }
  /** Stored (sent), then the answer is lost: the caller cannot know it went out. */
  | { kind: 'drop-after-send' };

export interface SesSent {
  to: string;
  subject: string;
}

export interface SesFaults {
  url: string;
  /** The next `count` SendEmail calls answer with `fault`. */
  failNext(fault: SesFault, count?: number): void;
  /** A deterministic fraction of SendEmail calls answer with `fault` until stopped. */
  failRandomly(fault: SesFault, fraction: number, seed?: number): void;
  stopFailing(): void;
  /** SendEmail calls answered so far: how many were refused or passed. */
  counts(): { sent: number; throttled: number; unavailable: number; dropped: number };
  /** Fires after SES stored a message, before its answer reaches the caller. */
  on(event: 'sent', listener: (mail: SesSent) => void): void;
  close(): Promise<void>;
}

const xml = (code: string, message: string, type: 'Sender' | 'Receiver') =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type>` +
  `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>local-fault</RequestId></ErrorResponse>`;

export async function startSesFaults(targetUrl: string): Promise<SesFaults> {
  const queued: SesFault[] = [];
  let random: { fault: SesFault; fraction: number; next: () => number } | undefined;
  const events = new EventEmitter();
  const tally = { sent: 0, throttled: 0, unavailable: 0, dropped: 0 };

  async function forward(req: IncomingMessage, body: string): Promise<Response> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers[name] = value;
    }
    return fetch(`${targetUrl}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await text(req);
    const form = new URLSearchParams(body);
    const isSend = req.method === 'POST' && form.get('Action') === 'SendEmail';
    const fault = isSend
      ? (queued.shift() ?? (random && random.next() < random.fraction ? random.fault : undefined))
      : undefined;
    if (fault?.kind === 'throttle') {
      tally.throttled += 1;
      return reply(res, 400, xml('Throttling', 'Maximum sending rate exceeded.', 'Sender'));
    }
    if (fault?.kind === 'unavailable') {
      tally.unavailable += 1;
      return reply(res, 503, xml('ServiceUnavailable', 'Service is unavailable.', 'Receiver'));
    }
    const answer = await forward(req, body);
    const answerBody = await answer.text();
    if (isSend && answer.ok) {
      tally.sent += 1;
      events.emit('sent', {
        to: form.get('Destination.ToAddresses.member.1') ?? '',
        subject: form.get('Message.Subject.Data') ?? '',
      });
    }
    if (fault?.kind === 'drop-after-send') {
      tally.dropped += 1;
      res.socket?.destroy();
      return;
    }
    reply(res, answer.status, answerBody, answer.headers.get('content-type') ?? 'text/xml');
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 502, `ses fault proxy: ${String(error)}`, 'text/plain');
      else res.end();
    });
  });
  const url = await listenLocally(server);
  return {
    url,
    failNext(fault, count = 1) {
      for (let i = 0; i < count; i++) queued.push(fault);
    },
    failRandomly(fault, fraction, seed = 1) {
      if (!(fraction >= 0 && fraction <= 1))
        throw new Error(`failRandomly: fraction must be 0..1, got ${fraction}`);
      random = { fault, fraction, next: seeded(seed) };
    },
    stopFailing() {
      queued.length = 0;
      random = undefined;
    },
    counts: () => ({ ...tally }),
    on(event, listener) {
      events.on(event, listener);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, body: string, contentType = 'text/xml'): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}
