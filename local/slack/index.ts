import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLocally } from '../http-server.ts';
import { ifDefined } from '../../lambdas/domain/optional.ts';
import { CHAT_METHODS, SlackApiError } from './api-chat.ts';
import type { ApiContext, Args, Result } from './api-chat.ts';
import { CHANNEL_METHODS } from './api-channels.ts';
import { HOME_METHODS } from './api-home.ts';
import { OTHER_METHODS } from './api-other.ts';
import { FaultBook, RateLimiter } from './faults.ts';
import { BadArguments, parseApiArgs, readBody, redirect, sendJson, str } from './http.ts';
import { HomeSide, postAs } from './home.ts';
import { Interactions } from './interactions.ts';
import { pageRoutes } from './page/routes.ts';
import type { RecordedCall, SlackStandIn, SlackStandInOptions } from './types.ts';
import { readableText, snapshot, Workspace } from './workspace.ts';

export type * from './types.ts';
export { slackSignature } from './interactions.ts';

const METHODS: Record<string, (ctx: ApiContext, args: Args) => Result> = {
  ...CHAT_METHODS,
  ...OTHER_METHODS,
  ...HOME_METHODS,
  ...CHANNEL_METHODS,
};
/** Slack's posting limit is per conversation and applies to chat.postMessage. */
const RATE_LIMITED_METHODS = new Set(['chat.postMessage']);

/**
 * A local Slack: the Web API methods the product calls (for the real `@slack/web-api` client, unchanged), the
 * interaction side (signed button presses and modal submissions sent to the app, response_url), and a page.
 */
export async function startSlackStandIn(options: SlackStandInOptions): Promise<SlackStandIn> {
  const ws = new Workspace({
    teamId: options.teamId ?? 'T0LOCAL01',
    teamDomain: 'incident-comms-local',
    botUserId: 'U0BOTLOCAL',
    botId: 'B0BOTLOCAL',
    appId: 'A0APPLOCAL',
    botName: 'incident-comms',
  });
  for (const user of options.users) ws.addUser(user);
  for (const channel of options.channels ?? []) ws.addChannel(channel);
  const faults = new FaultBook();
  const rate = options.rateLimit ? new RateLimiter(options.rateLimit.perChannelPerSecond) : undefined;
  const recorded: RecordedCall[] = [];
  let delayMs = checkDelay(options.delayMs ?? 0);
  let baseUrl = '';
  const interactions = new Interactions({
    ws,
    get url() {
      return baseUrl;
    },
    signingSecret: options.signingSecret,
    interactionsUrl: options.interactionsUrl,
    ...(options.commandsUrl ? { commandsUrl: options.commandsUrl } : {}),
  });
  const home = new HomeSide({
    ws,
    signingSecret: options.signingSecret,
    interactions,
    ...(options.eventsUrl ? { eventsUrl: options.eventsUrl } : {}),
  });
  const page = pageRoutes(ws, interactions, options.page, home);

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = url.pathname.slice('/api/'.length);
    const call: RecordedCall = { method, args: {}, at: new Date(), status: 200 };
    recorded.push(call);
    // A slow Slack: the call is handled, and answered, only after the delay.
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const answer = (status: number, body: Result, headers: Record<string, string> = {}): void => {
      call.status = status;
      if (body.ok === false) call.error = String(body.error);
      sendJson(res, status, body, headers);
      call.answeredAt = new Date();
      page.changed();
    };
    let args: Args;
    try {
      args = parseApiArgs(url.searchParams, await readBody(req), req.headers['content-type'] ?? '');
    } catch (error) {
      if (error instanceof BadArguments) return answer(200, { ok: false, error: error.slackError });
      throw error;
    }
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? str(args.token);
    delete args.token;
    call.args = args;
    const handler = METHODS[method];
    if (!handler) return answer(200, { ok: false, error: 'unknown_method' });
    if (!token) return answer(200, { ok: false, error: 'not_authed' });
    if (token !== options.botToken) return answer(200, { ok: false, error: 'invalid_auth' });

    const channelRef = str(args.channel);
    const channelId = channelRef ? (ws.resolveChannel(channelRef)?.id ?? channelRef) : undefined;
    const fault = faults.take(method, [channelRef, channelId]);
    if (fault && 'status' in fault && fault.status === 429) {
      return answer(
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }
    if (fault && 'status' in fault && !fault.afterPosting)
      return answer(500, { ok: false, error: 'internal_error' });
    if (fault && 'error' in fault) return answer(200, { ok: false, error: fault.error });
    const limited =
      rate && RATE_LIMITED_METHODS.has(method) && channelId ? rate.retryAfter(channelId) : undefined;
    if (limited !== undefined)
      return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limited) });

    try {
      const result = handler({ ws, url: baseUrl }, args);
      if (rate && RATE_LIMITED_METHODS.has(method) && typeof result.channel === 'string')
        rate.record(result.channel);
      if (fault && 'status' in fault) return answer(500, { ok: false, error: 'internal_error' });
      answer(200, { ok: true, ...result });
    } catch (error) {
      if (error instanceof SlackApiError)
        return answer(200, { ok: false, error: error.error, ...error.details() });
      throw error;
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    if (path.startsWith('/api/')) return api(req, res, url);
    // response_urls: of a button press (/actions/…) and of a slash command (/commands/…).
    if (req.method === 'POST' && (path.startsWith('/actions/') || path.startsWith('/commands/'))) {
      const token = path.split('/').slice(3).join('/');
      const body = await readBody(req);
      const parsed = parseResponseBody(body, req.headers['content-type'] ?? '');
      if (!parsed) return sendJson(res, 400, { ok: false, error: 'invalid_payload' });
      const outcome = interactions.respond(token, parsed);
      page.changed();
      return sendJson(res, outcome.status, outcome.body);
    }
    if (await page.handle(req, res, url)) return;
    const permalink = /^\/archives\/([A-Z0-9]+)\/p(\d+)$/.exec(path);
    if (req.method === 'GET' && permalink) return redirect(res, `/#m${permalink[2]}`);
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(error) });
      else res.end();
    });
  });
  baseUrl = await listenLocally(server, options.port);

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    teamId: ws.identity.teamId,
    botUserId: ws.identity.botUserId,
    appId: ws.identity.appId,
    dmUser: (channel) => {
      const conversation = ws.conversations.get(channel);
      return conversation?.kind === 'im' ? conversation.user : undefined;
    },
    messages(filter = {}) {
      const channel = filter.user
        ? `D${filter.user}`
        : filter.channel
          ? ws.resolveChannel(filter.channel)?.id
          : undefined;
      if ((filter.user || filter.channel) && !channel) return [];
      const { text } = filter;
      return ws.records
        .filter((m) => !channel || m.channel === channel)
        .filter(
          (m) =>
            text === undefined ||
            (typeof text === 'string' ? readableText(m).includes(text) : text.test(readableText(m))),
        )
        .map(snapshot);
    },
    press: (o) => interactions.press(o),
    command: (o) => interactions.command(o),
    submitView: (o) => interactions.submitView(o),
    home,
    views: () =>
      [...ws.views.values()].map((v) => ({
        id: v.id,
        ...ifDefined('userId', v.userId),
        view: structuredClone(v.view),
        closed: Boolean(v.closed),
      })),
    postAs: (o) => postAs(ws, o),
    say: (o) => home.say(o),
    addUser: (user) => ws.addUser(user),
    setPresence(userId, presence) {
      const user = ws.users.get(userId);
      if (!user) throw new Error(`setPresence: no user ${userId}`);
      user.presence = presence;
    },
    addChannel: (channel) => ws.addChannel(channel),
    failNext: (method, fault, count = 1, channel) => faults.add(method, fault, count, channel),
    failRandomly: (method, fault, fraction, seed) => faults.addRandom(method, fault, fraction, seed),
    stopFailing: () => faults.clear(),
    setDelay(ms) {
      delayMs = checkDelay(ms);
    },
    on(event, listener) {
      ws.events.on(event, listener);
    },
    calls: (method) =>
      recorded.filter((c) => method === undefined || c.method === method).map((c) => ({ ...c })),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function checkDelay(ms: number): number {
  if (!(Number.isFinite(ms) && ms >= 0)) throw new Error(`Slack stand-in delay must be ≥ 0 ms, got ${ms}`);
  return ms;
}

/** response_url bodies are JSON; incoming-webhook style `payload=<json>` forms are accepted too. */
function parseResponseBody(body: string, contentType: string): Record<string, unknown> | undefined {
  try {
    const json = contentType.includes('application/x-www-form-urlencoded')
      ? (new URLSearchParams(body).get('payload') ?? '')
      : body;
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
