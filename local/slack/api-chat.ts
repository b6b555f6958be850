import type { AnyBlock } from '@slack/types';
import { ifDefined } from '../../lambdas/domain/optional.ts';
import { str, truthy } from './http.ts';
import type { Conversation, MessageRecord, Workspace } from './workspace.ts';
import { withIds } from './workspace.ts';
import { SlackApiError } from './errors.ts';
import { BLOCK_KIT, checkMessageBlocks } from './limits.ts';

export { SlackApiError };

export type Args = Record<string, unknown>;
export type Result = Record<string, unknown>;

export interface ApiContext {
  ws: Workspace;
  /** The stand-in's base URL, for permalinks. */
  url: string;
}

export function channelOf(ws: Workspace, args: Args): Conversation {
  const channel = ws.resolveChannel(str(args.channel));
  if (!channel) throw new SlackApiError('channel_not_found');
  return channel;
}

export function userOf(ws: Workspace, ref: unknown): string {
  const id = str(ref);
  if (!id || !ws.users.has(id)) throw new SlackApiError('user_not_found');
  return id;
}

interface Content {
  text?: string;
  blocks?: AnyBlock[];
  metadata?: unknown;
}

function contentOf(args: Args, requireSome: boolean): Content {
  // Slack keeps the first 40,000 characters of a longer text rather than refusing it.
  const text = str(args.text)?.slice(0, BLOCK_KIT.messageText);
  const blocks = checkMessageBlocks(args.blocks);
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (requireSome && !text && (!blocks || blocks.length === 0) && !hasAttachments) {
    throw new SlackApiError('no_text');
  }
  const metadata = args.metadata;
  if (metadata !== undefined) {
    const m: Partial<Record<string, unknown>> =
      typeof metadata === 'object' && metadata !== null ? metadata : {};
    if (typeof m.event_type !== 'string' || typeof m.event_payload !== 'object' || m.event_payload === null) {
      throw new SlackApiError('invalid_metadata_format');
    }
  }
  return {
    ...ifDefined('text', text),
    ...(blocks ? { blocks: withIds(blocks) } : {}),
    ...ifDefined('metadata', metadata),
  };
}

/** How the post is signed: the name and icon the caller chose, when it chose them. */
function signatureOf(args: Args): Pick<MessageRecord, 'username' | 'iconUrl' | 'iconEmoji'> {
  return {
    ...ifDefined('username', str(args.username)),
    ...ifDefined('iconUrl', str(args.icon_url)),
    ...ifDefined('iconEmoji', str(args.icon_emoji)),
  };
}

/** Threads are flat in Slack: a reply to a reply joins the parent's thread. */
function threadRoot(ws: Workspace, channel: Conversation, threadTs: unknown): string | undefined {
  const ts = str(threadTs);
  if (!ts) return undefined;
  const parent = ws.find(channel.id, ts);
  if (!parent || parent.deleted || parent.ephemeralTo) throw new SlackApiError('thread_not_found');
  return parent.threadTs ?? parent.ts;
}

function postMessage(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const content = contentOf(args, true);
  const record: MessageRecord = {
    channel: channel.id,
    ts: ws.nextTs(),
    ...ifDefined('threadTs', threadRoot(ws, channel, args.thread_ts)),
    ...content,
    ...signatureOf(args),
    ...(truthy(args.reply_broadcast) ? { replyBroadcast: true } : {}),
    postedAt: new Date(),
    edits: 0,
  };
  ws.store(record);
  return { channel: channel.id, ts: record.ts, message: ws.present(record) };
}

function postEphemeral(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const user = userOf(ws, args.user);
  if (channel.kind === 'im' && channel.user !== user) throw new SlackApiError('user_not_in_channel');
  if (channel.kind === 'mpim' && !channel.members?.includes(user))
    throw new SlackApiError('user_not_in_channel');
  const record: MessageRecord = {
    channel: channel.id,
    ts: ws.nextTs(),
    ...ifDefined('threadTs', threadRoot(ws, channel, args.thread_ts)),
    ...contentOf(args, true),
    ...signatureOf(args),
    ephemeralTo: user,
    postedAt: new Date(),
    edits: 0,
  };
  ws.store(record);
  return { message_ts: record.ts };
}

function existing(ws: Workspace, channel: Conversation, ts: unknown): MessageRecord {
  const message = ws.find(channel.id, str(ts) ?? '');
  if (!message || message.deleted) throw new SlackApiError('message_not_found');
  return message;
}

function update(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const message = existing(ws, channel, args.ts);
  // Only what the app posted itself can be changed with its token (an ephemeral post is not kept).
  if (message.ephemeralTo || message.user) throw new SlackApiError('cant_update_message');
  const content = contentOf(args, false);
  if (content.text === undefined && content.blocks === undefined && !('attachments' in args)) {
    throw new SlackApiError('no_text');
  }
  // As in Slack: an omitted `blocks` keeps the old ones; an empty array removes them.
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks?.length) message.blocks = content.blocks;
  else if (content.blocks) delete message.blocks;
  if (content.metadata !== undefined) message.metadata = content.metadata;
  message.edits += 1;
  message.editedTs = ws.nextTs();
  return { channel: channel.id, ts: message.ts, text: message.text ?? '', message: ws.present(message) };
}

function remove(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const message = existing(ws, channel, args.ts);
  if (message.ephemeralTo || message.user) throw new SlackApiError('cant_delete_message');
  message.deleted = true;
  return { channel: channel.id, ts: message.ts };
}

function getPermalink(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const channel = channelOf(ws, args);
  const message = existing(ws, channel, args.message_ts);
  let permalink = `${ctx.url}/archives/${channel.id}/p${message.ts.replace('.', '')}`;
  if (message.threadTs && message.threadTs !== message.ts) {
    permalink += `?thread_ts=${message.threadTs}&cid=${channel.id}`;
  }
  return { channel: channel.id, permalink };
}

export const CHAT_METHODS: Record<string, (ctx: ApiContext, args: Args) => Result> = {
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': update,
  'chat.delete': remove,
  'chat.getPermalink': getPermalink,
};
