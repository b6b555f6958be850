import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request bodies above this are refused: nothing the product sends to Slack comes close. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location });
  res.end();
}

/** Fields Slack's clients send JSON-encoded inside a form body (`@slack/web-api` stringifies every object). */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'user_auth_blocks']);

export class BadArguments extends Error {
  constructor(
    readonly slackError: string,
    message: string,
  ) {
    super(message);
    this.name = 'BadArguments';
  }
}

/**
 * Web API arguments from a query string and a body, whichever way the caller encoded them: Slack accepts
 * form-encoded bodies (what `@slack/web-api` sends) and JSON bodies (with a bearer token).
 */
export function parseApiArgs(
  query: URLSearchParams,
  body: string,
  contentType: string,
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of query) args[key] = value;
  if (body.length === 0) return args;
  if (contentType.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new BadArguments('invalid_json', 'the body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new BadArguments('invalid_json', 'the JSON body must be an object');
    }
    return { ...args, ...(parsed as Record<string, unknown>) };
  }
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = JSON_FIELDS.has(key) ? decodeJsonField(key, value) : value;
  }
  return args;
}

function decodeJsonField(key: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new BadArguments(
      key === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments',
      `${key} is not JSON`,
    );
  }
}

/** Slack's form values are strings; JSON callers send real booleans. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
