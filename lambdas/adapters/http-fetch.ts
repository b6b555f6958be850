import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * `fetch` for the Slack client, over node:http with kept-alive connections.
 *
 * Node's built-in fetch (undici, with WHATWG streams for every body) costs about three times the CPU of
 * node:http for a small API call, and a fresh thread or Lambda pays it in full: measured against the local
 * Slack stand-in, 500 `chat.postMessage` calls from a fresh worker thread took 0.74 s of CPU through fetch
 * and 0.23 s through node:http (docs/architecture.md, "Facts that bite"). A broadcast makes one call per
 * customer channel, so on a Lambda that CPU is the time before the last channel is first tried.
 *
 * It does what @slack/web-api asks of fetch: a POST with a text body, headers, `redirect: 'error'` and an
 * abort signal (its timeout); the answer is a real `Response`. Anything else (a FormData upload, a stream)
 * goes to the built-in fetch unchanged.
 */
export const httpFetch: typeof fetch = (input, init) => {
  const body = init?.body;
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  if (url === undefined || !(body === undefined || body === null || typeof body === 'string'))
    return fetch(input, init);
  return send(new URL(url), { ...init, body: body ?? undefined });
};

/** Idle connections are closed before a server would close them (Slack's edge keeps them ~5 s). */
const IDLE_MS = 4_000;
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_MS }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_MS }),
};

function send(url: URL, init: Omit<RequestInit, 'body'> & { body?: string | undefined }): Promise<Response> {
  const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : undefined;
  if (!protocol) return Promise.reject(new TypeError(`httpFetch: unsupported protocol ${url.protocol}`));
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const headers = headersOf(init.headers);
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise<Response>((resolve, reject) => {
    const call = protocol === 'https:' ? httpsRequest : httpRequest;
    const request = call(url, { method: init.method ?? 'GET', headers, agent: agents[protocol] });
    const onAbort = (): void => {
      request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('The request was aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    request.on('error', (error) => {
      done();
      reject(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => {
        done();
        reject(error);
      });
      response.on('end', () => {
        done();
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && init.redirect === 'error') {
          reject(new TypeError(`httpFetch: ${url.href} answered a redirect (HTTP ${status})`));
          return;
        }
        resolve(responseOf(response, Buffer.concat(chunks)));
      });
    });
    request.end(init.body);
  });
}

function headersOf(given: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (given === undefined) return out;
  const pairs =
    given instanceof Headers ? given.entries() : Array.isArray(given) ? given : Object.entries(given);
  for (const [name, value] of pairs)
    if (name !== undefined && value !== undefined) out[name] = typeof value === 'string' ? value : value.join(', ');
  return out;
}

function responseOf(response: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const status = response.statusCode ?? 0;
  // A Response may not carry a body with these statuses.
  const empty = status === 204 || status === 205 || status === 304;
  return new Response(empty ? null : body, { status, statusText: response.statusMessage ?? '', headers });
}
