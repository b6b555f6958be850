import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/**
 * The body exactly as the caller sent it. Signatures are computed over these bytes: decoding to a string
 * first would replace invalid UTF-8 and make a genuine signature fail (or a forged one match).
 */
export function rawBodyBytes(event: HttpEvent): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** The body as text, for parsing once the signature over the bytes has been checked. */
export function rawBody(event: HttpEvent): string {
  return rawBodyBytes(event).toString('utf8');
}

/** API Gateway lower-cases header names in v2 events; be tolerant of callers that don't. */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function text(statusCode: number, body: string): HttpResult {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

/** A body parsed as JSON, or the 400 a client's malformed body gets (nothing else is read or changed). */
export function jsonBody(bytes: Buffer): { ok: true; body: unknown } | { ok: false; answer: HttpResult } {
  try {
    return { ok: true, body: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, answer: json(400, { error: 'body is not JSON' }) };
  }
}
