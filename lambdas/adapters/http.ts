import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The body exactly as the caller sent it: signatures are computed over these bytes. */
export function rawBody(event: HttpEvent): string {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function rawBodyBytes(event: HttpEvent): number {
  if (event.body === undefined) return 0;
  return event.isBase64Encoded
    ? Buffer.from(event.body, 'base64').length
    : Buffer.byteLength(event.body, 'utf8');
}

/** API Gateway lower-cases header names in v2 events; be tolerant of callers that don't. */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function text(statusCode: number, body: string): HttpResult {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}
