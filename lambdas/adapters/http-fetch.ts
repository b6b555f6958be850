import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { BufferedResponse } from './buffered-response.ts';

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
 * abort signal (its timeout); the answer is a `Response` over the bytes already read (buffered-response.ts).
 * Anything else (a FormData upload, a stream) goes to the built-in fetch unchanged.
 */
export const httpFetch: typeof fetch = (input, init) => {
  const body = init?.body;
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  if (url === undefined || !(body === undefined || body === null || typeof body === 'string'))
    return fetch(input, init);
  return send(url, { ...init, body: body ?? undefined });
};

type Target = ReturnType<typeof urlToHttpOptions> & { protocol: 'http:' | 'https:' };
/**
 * Where each URL goes, parsed once: a client calls a handful of API methods over and over, and parsing the
 * URL again for every call was a tenth of a post's CPU. Bounded, whatever a caller sends.
 */
const targets = new Map<string, Target>();
const MAX_TARGETS = 256;

function targetOf(url: string): Target | TypeError {
  const known = targets.get(url);
  if (known) return known;
  if (targets.size >= MAX_TARGETS) targets.clear();
  let options: ReturnType<typeof urlToHttpOptions>;
  try {
    options = urlToHttpOptions(new URL(url));
  } catch {
    return new TypeError(`httpFetch: ${url} is not a URL`);
  }
  const { protocol } = options;
  if (protocol !== 'http:' && protocol !== 'https:')
    return new TypeError(`httpFetch: unsupported protocol ${protocol ?? ''}`);
  const target: Target = { ...options, protocol };
  targets.set(url, target);
  return target;
}

/** Idle connections are closed before a server would close them (Slack's edge keeps them ~5 s). */
const IDLE_MS = 4_000;
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_MS }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_MS }),
};

function send(
  url: string,
  init: Omit<RequestInit, 'body'> & { body?: string | undefined },
): Promise<Response> {
  const target = targetOf(url);
  if (target instanceof TypeError) return Promise.reject(target);
  const protocol = target.protocol;
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const headers = headersOf(init.headers);
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise<Response>((resolve, reject) => {
    const call = protocol === 'https:' ? httpsRequest : httpRequest;
    const request = call({ ...target, method: init.method ?? 'GET', headers, agent: agents[protocol] });
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
          reject(new TypeError(`httpFetch: ${url} answered a redirect (HTTP ${status})`));
          return;
        }
        resolve(responseOf(url, response, Buffer.concat(chunks)));
      });
    });
    request.end(init.body);
  });
}

function headersOf(given: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (given === undefined) return out;
  const pairs =
    given instanceof Headers ? given.entries() : Array.isArray(given) ? given : Object.entries(given);
  for (const [name, value] of pairs)
    if (name !== undefined && value !== undefined)
      out[name] = typeof value === 'string' ? value : value.join(', ');
  return out;
}

function responseOf(url: string, response: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const status = response.statusCode ?? 0;
  // A Response may not carry a body with these statuses.
  const empty = status === 204 || status === 205 || status === 304;
  return new BufferedResponse(empty ? null : body, {
    status,
    statusText: response.statusMessage ?? '',
    headers,
    url,
  });
}
