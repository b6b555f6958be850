import type { ApiContext, Args, Result } from './api-chat.ts';
import { channelOf, SlackApiError, userOf } from './api-chat.ts';
import { conversationJson } from './api-other.ts';
import { str, truthy } from './http.ts';
import type { Conversation, Workspace } from './workspace.ts';

/** Slack's channel names: lowercase letters, digits, hyphens and underscores, at most 80 characters. */
const MAX_NAME = 80;

function checkName(name: string): void {
  if (name === '') throw new SlackApiError('invalid_name_required');
  if (name.length > MAX_NAME) throw new SlackApiError('invalid_name_maxlength');
  if (!/^[a-z0-9_-]+$/.test(name)) throw new SlackApiError('invalid_name_specials');
  if (/^[-_]+$/.test(name)) throw new SlackApiError('invalid_name_punctuation');
}

function create(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const name = (str(args.name) ?? '').trim();
  checkName(name);
  if ([...ws.conversations.values()].some((c) => c.kind === 'channel' && c.name === name))
    throw new SlackApiError('name_taken');
  const id = `C${String(ws.conversations.size + 1).padStart(9, '0')}`;
  ws.addChannel({ id, name });
  const channel = ws.conversations.get(id) as Conversation;
  channel.members = [ws.identity.botUserId];
  return { channel: conversationJson(ws, channel) };
}

/** Public channels, oldest first, paged by an opaque cursor as Slack does. */
function list(ctx: ApiContext, args: Args): Result {
  const all = [...ctx.ws.conversations.values()]
    .filter((c) => c.kind === 'channel')
    .filter((c) => !(truthy(args.exclude_archived) && c.archived));
  const limit = Math.min(Math.max(Number(str(args.limit) ?? 100) || 100, 1), 1000);
  const start =
    Number(
      Buffer.from(str(args.cursor) ?? '', 'base64')
        .toString('utf8')
        .replace('offset:', ''),
    ) || 0;
  const hasMore = start + limit < all.length;
  return {
    channels: all.slice(start, start + limit).map((c) => conversationJson(ctx.ws, c)),
    response_metadata: {
      next_cursor: hasMore ? Buffer.from(`offset:${start + limit}`).toString('base64') : '',
    },
  };
}

function writable(ws: Workspace, args: Args): Conversation {
  const channel = channelOf(ws, args);
  if (channel.kind !== 'channel') throw new SlackApiError('method_not_supported_for_channel_type');
  if (channel.archived) throw new SlackApiError('is_archived');
  return channel;
}

/**
 * conversations.invite: a comma list of users. One already in the channel fails the call with
 * `already_in_channel` unless `force` is set, when the others are still invited (Slack's `errors` lists each).
 */
function invite(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = writable(ws, args);
  const users = (str(args.users) ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (users.length === 0) throw new SlackApiError('no_user');
  if (users.includes(ws.identity.botUserId)) throw new SlackApiError('cant_invite_self');
  for (const user of users) userOf(ws, user);
  const members = channel.members ?? [ws.identity.botUserId];
  const already = users.filter((u) => members.includes(u));
  const errors = already.map((user) => ({ user, ok: false, error: 'already_in_channel' }));
  if (already.length > 0 && (!truthy(args.force) || already.length === users.length))
    return { ok: false, error: 'already_in_channel', errors };
  channel.members = [...new Set([...members, ...users])];
  return { channel: conversationJson(ws, channel), ...(errors.length > 0 ? { errors } : {}) };
}

function members(ctx: ApiContext, args: Args): Result {
  const channel = channelOf(ctx.ws, args);
  return { members: channel.members ?? [ctx.ws.identity.botUserId], response_metadata: { next_cursor: '' } };
}

function archive(ctx: ApiContext, args: Args): Result {
  const channel = channelOf(ctx.ws, args);
  if (channel.kind !== 'channel') throw new SlackApiError('method_not_supported_for_channel_type');
  if (channel.archived) throw new SlackApiError('already_archived');
  channel.archived = true;
  return {};
}

function pin(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const ts = str(args.timestamp) ?? '';
  const message = ws.find(channel.id, ts);
  if (!message || message.deleted) throw new SlackApiError('message_not_found');
  if (channel.pins?.includes(ts)) throw new SlackApiError('already_pinned');
  channel.pins = [...(channel.pins ?? []), ts];
  return {};
}

function pins(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const items = (channel.pins ?? []).flatMap((ts) => {
    const m = ws.find(channel.id, ts);
    return m ? [{ type: 'message', channel: channel.id, message: ws.present(m) }] : [];
  });
  return { items };
}

export const CHANNEL_METHODS: Record<string, (ctx: ApiContext, args: Args) => Result> = {
  'conversations.create': create,
  'conversations.list': list,
  'conversations.invite': invite,
  'conversations.members': members,
  'conversations.archive': archive,
  'pins.add': pin,
  'pins.list': pins,
};
