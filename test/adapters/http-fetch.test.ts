import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../lambdas/adapters/http-fetch.ts';
import { classifySlack } from '../../lambdas/services/delivery/failures.ts';

/**
 * The Slack client's fetch (lambdas/adapters/http-fetch.ts) against a real HTTP server: what @slack/web-api
 * sends arrives as sent, what the server answers comes back as a `Response`, and the cases the delivery
 * code reads (429 + Retry-After, a timeout, a redirect) fail the way fetch's own would.
 */
interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
  remotePort: number | undefined;
}
const seen: Seen[] = [];
let answer: (request: IncomingMessage, response: ServerResponse) => void;
/** Requests the server dropped before answering (the client went away). */
let dropped = 0;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      seen.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
        remotePort: request.socket.remotePort,
      });
      response.on('close', () => {
        if (!response.writableFinished) dropped += 1;
      });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const okJson = (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json', 'x-oauth-scopes': 'chat:write' });
  response.end(JSON.stringify({ ok: true, channel: 'C1', ts: '1.000' }));
};

describe('httpFetch', () => {
  it('sends the method, headers and body, and answers with a Response carrying status, headers and body', async () => {
    answer = okJson;
    seen.length = 0;
    const response = await httpFetch(`${base}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer xoxb-1' },
      body: 'channel=C1&text=caf%C3%A9',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-oauth-scopes')).toBe('chat:write');
    expect(await response.json()).toEqual({ ok: true, channel: 'C1', ts: '1.000' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/chat.postMessage',
      body: 'channel=C1&text=caf%C3%A9',
    });
    expect(seen[0]!.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Bearer xoxb-1',
      'content-length': String(Buffer.byteLength('channel=C1&text=caf%C3%A9')),
    });
  });

  it('keeps the connection alive between calls', async () => {
    answer = okJson;
    seen.length = 0;
    for (let i = 0; i < 3; i++) await (await httpFetch(`${base}auth.test`, { method: 'POST', body: 'a=1' })).text();
    expect(new Set(seen.map((s) => s.remotePort)).size).toBe(1);
  });

  it('rejects a redirect when told to, as fetch does with redirect: "error"', async () => {
    answer = (_request, response) => {
      response.writeHead(302, { location: 'https://example.com/' });
      response.end();
    };
    await expect(
      httpFetch(`${base}chat.postMessage`, { method: 'POST', body: 'a=1', redirect: 'error' }),
    ).rejects.toThrow(/redirect \(HTTP 302\)/);
  });

  it('gives up when its signal aborts, closing the request', async () => {
    answer = () => undefined; // never answers
    const before = dropped;
    await expect(
      httpFetch(`${base}chat.postMessage`, { method: 'POST', body: 'a=1', signal: AbortSignal.timeout(50) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect.poll(() => dropped, { timeout: 5_000 }).toBe(before + 1);
  });

  it('rejects at once with a signal that has already aborted, sending nothing', async () => {
    answer = okJson;
    seen.length = 0;
    const controller = new AbortController();
    controller.abort(new Error('stopped before it started'));
    await expect(
      httpFetch(`${base}chat.postMessage`, { method: 'POST', body: 'a=1', signal: controller.signal }),
    ).rejects.toThrow('stopped before it started');
    expect(seen).toHaveLength(0);
  });

  it('hands bodies it does not send itself (a form upload) to the built-in fetch', async () => {
    answer = okJson;
    seen.length = 0;
    const form = new FormData();
    form.append('file', new Blob(['hello']), 'a.txt');
    const response = await httpFetch(`${base}files.upload`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(seen[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]!.body).toContain('hello');
  });
});

describe('@slack/web-api over httpFetch', () => {
  const client = (timeout = 8_000) =>
    new WebClient('xoxb-1', {
      slackApiUrl: base,
      fetch: httpFetch,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout,
    });

  it('posts and reads the answer', async () => {
    answer = okJson;
    seen.length = 0;
    const posted = await client().chat.postMessage({ channel: 'C1', text: 'hi' });
    expect(posted).toMatchObject({ ok: true, channel: 'C1', ts: '1.000' });
    expect(new URLSearchParams(seen[0]!.body).get('text')).toBe('hi');
  });

  it('reads 429 + Retry-After as a rate limit the delivery code retries after that wait', async () => {
    answer = (_request, response) => {
      response.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    };
    const error = await client()
      .chat.postMessage({ channel: 'C1', text: 'hi' })
      .catch((e: unknown) => e);
    expect(classifySlack(error)).toMatchObject({ kind: 'retry', retryAfterMs: 3_000 });
  });

  it('reads a Slack error answer as that error', async () => {
    answer = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: false, error: 'channel_not_found' }));
    };
    const error = await client()
      .chat.postMessage({ channel: 'C1', text: 'hi' })
      .catch((e: unknown) => e);
    expect(classifySlack(error)).toMatchObject({ kind: 'permanent', reason: 'slack: channel_not_found' });
  });

  it('reads a timeout as a post that may have arrived', async () => {
    answer = () => undefined;
    const error = await client(50)
      .chat.postMessage({ channel: 'C1', text: 'hi' })
      .catch((e: unknown) => e);
    expect(classifySlack(error)).toMatchObject({ kind: 'ambiguous' });
  });

  it('reads a 5xx as a post that may have arrived', async () => {
    answer = (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('busy');
    };
    const error = await client()
      .chat.postMessage({ channel: 'C1', text: 'hi' })
      .catch((e: unknown) => e);
    expect(classifySlack(error)).toMatchObject({ kind: 'ambiguous', reason: 'slack: HTTP 503' });
  });
});
