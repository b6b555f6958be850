import type { ApiContext, Args, Result } from './api-chat.ts';
import { channelOf, SlackApiError, userOf } from './api-chat.ts';
import { str, truthy } from './http.ts';
import { checkView } from './limits.ts';
import type { Conversation, MessageRecord, Workspace } from './workspace.ts';

function authTest(ctx: ApiContext): Result {
  const { teamId, teamDomain, botUserId, botId, botName } = ctx.ws.identity;
  return {
    url: `${ctx.url}/`,
    team: teamDomain,
    user: botName,
    team_id: teamId,
    user_id: botUserId,
    bot_id: botId,
    is_enterprise_install: false,
  };
}

export function conversationJson(ws: Workspace, c: Conversation): Result {
  const base = { id: c.id, created: c.created, is_archived: c.archived === true, context_team_id: ws.identity.teamId };
  if (c.kind === 'im')
    return { ...base, is_im: true, is_org_shared: false, user: c.user, is_user_deleted: false };
  if (c.kind === 'mpim') return { ...base, name: c.name, is_mpim: true, is_group: true, is_private: true };
  return { ...base, name: c.name, is_channel: true, is_private: false, is_member: true };
}

function open(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  if (args.channel !== undefined) {
    const channel = channelOf(ws, args);
    return { no_op: true, already_open: true, channel: conversationJson(ws, channel) };
  }
  const users = (str(args.users) ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
  for (const user of users) userOf(ws, user);
  const existed = users.length === 1 ? ws.conversations.has(`D${users[0]}`) : false;
  const channel = users.length === 1 ? ws.openIm(users[0] ?? '') : ws.openMpim(users);
  const json = truthy(args.return_im) ? conversationJson(ws, channel) : { id: channel.id };
  return existed ? { no_op: true, already_open: true, channel: json } : { channel: json };
}

function info(ctx: ApiContext, args: Args): Result {
  return { channel: conversationJson(ctx.ws, channelOf(ctx.ws, args)) };
}

/** Cursor pagination over a newest-first (history) or oldest-first (replies) list, as Slack pages them. */
function page(ws: Workspace, list: MessageRecord[], args: Args): Result {
  const oldest = str(args.oldest) ?? '0';
  const latest = str(args.latest);
  const inclusive = truthy(args.inclusive);
  const inRange = list.filter((m) => {
    const afterOldest = inclusive ? cmpTs(m.ts, oldest) >= 0 : cmpTs(m.ts, oldest) > 0;
    const beforeLatest = !latest || (inclusive ? cmpTs(m.ts, latest) <= 0 : cmpTs(m.ts, latest) < 0);
    return afterOldest && beforeLatest;
  });
  const limit = Math.min(Math.max(Number(str(args.limit) ?? 100) || 100, 1), 999);
  const start = decodeCursor(str(args.cursor));
  const slice = inRange.slice(start, start + limit);
  const hasMore = start + limit < inRange.length;
  return {
    messages: slice.map((m) => ws.present(m)),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? encodeCursor(start + limit) : '' },
  };
}

function history(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const topLevel = ws
    .inChannel(channel.id)
    .filter((m) => !m.deleted && !m.ephemeralTo)
    .filter((m) => !m.threadTs || m.threadTs === m.ts || m.replyBroadcast)
    .sort((a, b) => cmpTs(b.ts, a.ts));
  return page(ws, topLevel, args);
}

function replies(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const message = ws.find(channel.id, str(args.ts) ?? '');
  if (!message || message.deleted || message.ephemeralTo) throw new SlackApiError('thread_not_found');
  const thread = ws.thread(channel.id, message.threadTs ?? message.ts).sort((a, b) => cmpTs(a.ts, b.ts));
  return page(ws, thread, args);
}

function userJson(ws: Workspace, id: string): Result {
  const u = ws.users.get(id);
  if (!u) throw new SlackApiError('user_not_found');
  const { offsetSeconds, label } = zoneNow(u.tz);
  const image = u.imageUrl ?? `https://avatars.invalid/${u.id}_72.png`;
  return {
    id: u.id,
    team_id: ws.identity.teamId,
    name: u.name,
    real_name: u.realName,
    deleted: false,
    is_bot: false,
    tz: u.tz,
    tz_label: label,
    tz_offset: offsetSeconds,
    profile: {
      real_name: u.realName,
      real_name_normalized: u.realName,
      display_name: u.name,
      display_name_normalized: u.name,
      ...(u.email ? { email: u.email } : {}),
      image_72: image,
      team: ws.identity.teamId,
    },
  };
}

/** Slack reports the zone's offset as it is now (daylight saving included), in seconds east of UTC. */
function zoneNow(tz: string): { offsetSeconds: number; label: string } {
  const now = new Date();
  const part = (style: 'longOffset' | 'long'): string =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(now)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const offsetSeconds = match
    ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60)
    : 0;
  return { offsetSeconds, label: part('long') };
}

function usersInfo(ctx: ApiContext, args: Args): Result {
  return { user: userJson(ctx.ws, userOf(ctx.ws, args.user)) };
}

function lookupByEmail(ctx: ApiContext, args: Args): Result {
  const email = (str(args.email) ?? '').toLowerCase();
  const user = [...ctx.ws.users.values()].find((u) => u.email?.toLowerCase() === email);
  if (!user) throw new SlackApiError('users_not_found');
  return { user: userJson(ctx.ws, user.id) };
}

function presence(ctx: ApiContext, args: Args): Result {
  const user = ctx.ws.users.get(userOf(ctx.ws, args.user));
  return { presence: user?.presence ?? 'away' };
}

/** A view as Slack takes it (local/slack/limits.ts), or `invalid_arguments` and nothing stored. */
function viewArg(args: Args, kind: 'modal' | 'home'): Record<string, unknown> {
  return { ...checkView(args.view, kind) };
}

function viewJson(ws: Workspace, id: string): Result {
  const stored = ws.views.get(id);
  if (!stored) throw new SlackApiError('not_found');
  const { teamId, appId, botId } = ws.identity;
  return {
    ...stored.view,
    id: stored.id,
    team_id: teamId,
    state: { values: {} },
    hash: stored.hash,
    root_view_id: stored.id,
    app_id: appId,
    bot_id: botId,
  };
}

function viewsOpen(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const trigger = str(args.trigger_id) ?? str(args.interactivity_pointer);
  if (!trigger) throw new SlackApiError('invalid_arguments');
  const userId = ws.triggers.get(trigger);
  if (!userId) throw new SlackApiError('invalid_trigger_id');
  const stored = ws.storeView(viewArg(args, 'modal'), userId);
  return { view: viewJson(ws, stored.id) };
}

function viewsUpdate(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const externalId = str(args.external_id);
  const stored = externalId
    ? [...ws.views.values()].find((v) => v.view.external_id === externalId)
    : ws.views.get(str(args.view_id) ?? '');
  if (!stored) throw new SlackApiError('not_found');
  const hash = str(args.hash);
  if (hash && hash !== stored.hash) throw new SlackApiError('hash_conflict');
  ws.replaceView(stored, viewArg(args, stored.view.type === 'home' ? 'home' : 'modal'));
  return { view: viewJson(ws, stored.id) };
}

function cmpTs(a: string, b: string): number {
  const [as = '0', au = '0'] = a.split('.');
  const [bs = '0', bu = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(au.padEnd(6, '0')) - Number(bu.padEnd(6, '0'));
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new SlackApiError('invalid_cursor');
  return Number(match[1]);
}

export const OTHER_METHODS: Record<string, (ctx: ApiContext, args: Args) => Result> = {
  'auth.test': authTest,
  'conversations.open': open,
  'conversations.info': info,
  'conversations.history': history,
  'conversations.replies': replies,
  'users.info': usersInfo,
  'users.lookupByEmail': lookupByEmail,
  'users.getPresence': presence,
  'views.open': viewsOpen,
  'views.push': viewsOpen,
  'views.update': viewsUpdate,
};
