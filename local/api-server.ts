import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally, readBody } from './http-server.ts';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { FUNCTIONS } from '../lambdas/contract/functions.ts';
import { handlerFor, lambdaContext } from './lambdas.ts';

/** API Gateway's own limit on a request body. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface Route {
  method: string;
  pattern: RegExp;
  params: string[];
  routeKey: string;
  /** The function serving the route (its stable name in lambdas/contract/functions.ts). */
  name: string;
  timeoutSeconds: number;
}

function routes(): Route[] {
  return FUNCTIONS.flatMap((f) =>
    ('routes' in f ? f.routes : []).map((routeKey) => {
      const [method = 'GET', template = '/'] = routeKey.split(' ');
      const params: string[] = [];
      const pattern = new RegExp(
        `^${template.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
          params.push(name);
          return '([^/]+)';
        })}$`,
      );
      return { method, pattern, params, routeKey, name: f.name, timeoutSeconds: f.timeoutSeconds };
    }),
  );
}

/** The request as API Gateway (HTTP API, payload v2) hands it to a Lambda. */
function toEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  route: Route,
  match: readonly (string | undefined)[],
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = Object.fromEntries(url.searchParams.entries());
  const pathParameters = Object.fromEntries(
    route.params.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
  );
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.searchParams.toString(),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.params.length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: body.toString('utf8'),
    isBase64Encoded: false,
  };
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string> | undefined) });
  res.end(result.body ?? '');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, {
    statusCode: status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** One HTTP server for the product's routes, running the same handlers API Gateway runs in AWS. */
export async function startApiServer(options: {
  port: number;
  endpoints: () => Record<string, string>;
}): Promise<{ url: string; close(): Promise<void> }> {
  const table = routes();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      if (req.method === 'GET' && url.pathname === '/local/endpoints')
        return sendJson(res, 200, options.endpoints());
      const candidates = table.filter((r) => r.pattern.test(url.pathname));
      const route = candidates.find((r) => r.method === req.method);
      if (!route) {
        return candidates.length > 0
          ? sendJson(res, 405, { message: 'Method Not Allowed' })
          : sendJson(res, 404, { message: 'Not Found' });
      }
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === 'too-large') return sendJson(res, 413, { message: 'Request Entity Too Large' });
      const match = url.pathname.match(route.pattern) ?? [];
      const handler = await handlerFor(route.name);
      const result = (await handler(
        toEvent(req, url, body, route, match),
        lambdaContext(route.name, route.timeoutSeconds),
      )) as APIGatewayProxyStructuredResultV2;
      send(res, result);
    })().catch((error: unknown) => {
      // What API Gateway answers when the integration throws.
      console.error(`[api] ${req.method} ${req.url}:`, error);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      else res.end();
    });
  });
  const url = await listenLocally(server, options.port);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
