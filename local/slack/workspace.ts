import { createHash, randomBytes } from 'node:crypto';
import type { AnyBlock } from '@slack/types';
import { EventEmitter } from 'node:events';
import type { SlackStandInUser, StoredMessage } from './types.ts';
import { ifDefined } from '../../lambdas/domain/optional.ts';

export interface Conversation {
  id: string;
  name: string;
  kind: 'channel' | 'im' | 'mpim';
  /** The other party of a DM. */
  user?: string;
  members?: string[];
  created: number;
  /** A channel made with conversations.archive: read-only from then on. */
  archived?: boolean;
  /** Timestamps of the channel's pinned messages (pins.add). */
  pins?: string[];
}

/** A stored message plus what the Web API reports about it but the public record leaves out. */
export interface MessageRecord extends StoredMessage {
  /** A person who wrote it (a customer's reply, say); absent when the app posted it. */
  user?: string;
  iconEmoji?: string;
  replyBroadcast?: boolean;
  editedTs?: string;
}

export interface StoredView {
  id: string;
  view: Record<string, unknown>;
  hash: string;
  userId?: string;
  closed?: boolean;
}

export interface Identity {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  botName: string;
}

/** The workspace the stand-in pretends to be: people, conversations, messages, modals. No HTTP here. */
export class Workspace {
  readonly users = new Map<string, SlackStandInUser & { presence: 'active' | 'away' }>();
  readonly conversations = new Map<string, Conversation>();
  readonly records: MessageRecord[] = [];
  /** The same records by conversation: lookups stay cheap however many messages the workspace holds. */
  private readonly byChannel = new Map<string, MessageRecord[]>();
  readonly views = new Map<string, StoredView>();
  /** Each person's App Home as the app last published it (views.publish), by user id: tests and the page read it. */
  readonly homeViews = new Map<string, StoredView>();
  /** trigger_id → the user whose interaction minted it; views.open accepts only these, as Slack does. */
  readonly triggers = new Map<string, string>();
  readonly events = new EventEmitter();
  private lastMicros = 0;
  private viewCount = 0;

  constructor(readonly identity: Identity) {}

  addUser(user: SlackStandInUser): void {
    this.users.set(user.id, { ...user, presence: user.presence ?? 'active' });
  }

  addChannel(channel: { id: string; name: string }): void {
    this.conversations.set(channel.id, { ...channel, kind: 'channel', created: nowSeconds() });
  }

  /** Message timestamps are Slack's "seconds.micros" strings: unique per workspace and increasing. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** A DM id derived from the user id, so it is the same on every run (tests and people can rely on it). */
  openIm(userId: string): Conversation {
    const id = `D${userId}`;
    let im = this.conversations.get(id);
    if (!im) {
      im = { id, name: userId, kind: 'im', user: userId, created: nowSeconds() };
      this.conversations.set(id, im);
    }
    return im;
  }

  openMpim(userIds: string[]): Conversation {
    const members = [...new Set(userIds)].sort();
    const id = `G${createHash('sha1').update(members.join(',')).digest('hex').slice(0, 10).toUpperCase()}`;
    let mpim = this.conversations.get(id);
    if (!mpim) {
      mpim = { id, name: `mpdm-${members.join('--')}`, kind: 'mpim', members, created: nowSeconds() };
      this.conversations.set(id, mpim);
    }
    return mpim;
  }

  /** Slack accepts a conversation id, a user id (the app's DM with them) or a channel name. */
  resolveChannel(ref: string | undefined): Conversation | undefined {
    if (!ref) return undefined;
    const byId = this.conversations.get(ref);
    if (byId) return byId;
    if (this.users.has(ref)) return this.openIm(ref);
    const name = ref.replace(/^#/, '');
    return [...this.conversations.values()].find((c) => c.kind === 'channel' && c.name === name);
  }

  /** A conversation's messages, oldest first (including deleted and ephemeral ones). */
  inChannel(channel: string): readonly MessageRecord[] {
    return this.byChannel.get(channel) ?? [];
  }

  find(channel: string, ts: string): MessageRecord | undefined {
    return this.inChannel(channel).find((m) => m.ts === ts);
  }

  store(record: MessageRecord): void {
    this.records.push(record);
    const list = this.byChannel.get(record.channel);
    if (list) list.push(record);
    else this.byChannel.set(record.channel, [record]);
    if (this.events.listenerCount('message') > 0) this.events.emit('message', snapshot(record));
  }

  /** A message's thread: the parent then its replies, oldest first. */
  thread(channel: string, rootTs: string): MessageRecord[] {
    return this.inChannel(channel).filter(
      (m) => !m.deleted && !m.ephemeralTo && (m.ts === rootTs || m.threadTs === rootTs),
    );
  }

  storeView(view: Record<string, unknown>, userId: string | undefined): StoredView {
    this.viewCount += 1;
    const stored: StoredView = {
      id: `V${String(this.viewCount).padStart(8, '0')}`,
      view,
      hash: newHash(),
      ...ifDefined('userId', userId),
    };
    this.views.set(stored.id, stored);
    return stored;
  }

  /** views.publish: the person's Home replaced whole, under the same view id from the first publish on. */
  publishHome(userId: string, view: Record<string, unknown>): StoredView {
    const existing = this.homeViews.get(userId);
    if (existing) {
      this.replaceView(existing, view);
      return existing;
    }
    const stored = this.storeView(view, userId);
    // A Home is not a modal: views.update may address it by id, but nothing submits or closes it.
    this.homeViews.set(userId, stored);
    return stored;
  }

  replaceView(stored: StoredView, view: Record<string, unknown>): void {
    stored.view = view;
    stored.hash = newHash();
  }

  /** A message as the Web API and interaction payloads show it. */
  present(m: MessageRecord): Record<string, unknown> {
    const { botUserId, botId, appId, teamId } = this.identity;
    const out: Record<string, unknown> = m.user
      ? { type: 'message', user: m.user }
      : { type: 'message', user: botUserId, bot_id: botId, app_id: appId };
    out.text = m.text ?? '';
    out.ts = m.ts;
    out.team = teamId;
    if (m.blocks) out.blocks = m.blocks;
    if (m.username) {
      out.subtype = 'bot_message';
      out.username = m.username;
    }
    if (m.iconUrl) out.icons = { image_48: m.iconUrl };
    else if (m.iconEmoji) out.icons = { emoji: m.iconEmoji };
    if (m.metadata !== undefined) out.metadata = m.metadata;
    if (m.edits > 0) out.edited = { user: botUserId, ts: m.editedTs ?? m.ts };
    if (m.threadTs && m.threadTs !== m.ts) {
      out.thread_ts = m.threadTs;
      out.parent_user_id = botUserId;
    }
    const replies = this.inChannel(m.channel).filter((r) => r.threadTs === m.ts && r.ts !== m.ts);
    const visible = replies.filter((r) => !r.deleted && !r.ephemeralTo);
    if (visible.length > 0) {
      out.thread_ts = m.ts;
      out.reply_count = visible.length;
      out.reply_users = [botUserId];
      out.reply_users_count = 1;
      out.latest_reply = visible[visible.length - 1]?.ts;
    }
    return out;
  }
}

/**
 * A message as callers of the stand-in see it: a frozen copy, made once per version of the message (every
 * edit bumps `edits`, a delete sets `deleted`). Tests and the demo poll `messages()` many times a second,
 * and copying every message on every poll would take the CPU the product's own work needs.
 */
const snapshots = new WeakMap<MessageRecord, { version: string; copy: StoredMessage }>();

export function snapshot(m: MessageRecord): StoredMessage {
  const version = `${m.edits}:${m.deleted ? 1 : 0}`;
  const hit = snapshots.get(m);
  if (hit?.version === version) return hit.copy;
  const copy = deepFreeze(structuredClone(m));
  snapshots.set(m, { version, copy });
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

export function randomId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

function newHash(): string {
  return `${nowSeconds()}.${randomId(6)}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Give every block (and interactive element) the ids Slack fills in, so button presses can name them. */
export function withIds(blocks: AnyBlock[]): AnyBlock[] {
  return blocks.map((block, index) => {
    const blockId = block.block_id ?? `b${index}${randomId(2)}`;
    const b: Record<string, unknown> = { ...block, block_id: blockId };
    if (Array.isArray(b.elements)) {
      b.elements = b.elements.map((el: unknown, i: number) => withActionId(el, `${blockId}-${i}`));
    }
    if (b.accessory) b.accessory = withActionId(b.accessory, `${blockId}-acc`);
    // The same block with ids added: what it was (checked by local/slack/limits.ts) it still is.
    return { ...b, type: block.type, block_id: blockId };
  });
}

function withActionId(element: unknown, fallback: string): unknown {
  if (typeof element !== 'object' || element === null) return element;
  const e = element as Record<string, unknown>;
  const interactive =
    typeof e.type === 'string' && e.type !== 'plain_text' && e.type !== 'mrkdwn' && e.type !== 'image';
  return interactive && typeof e.action_id !== 'string' ? { ...e, action_id: fallback } : e;
}

/** The words of a message a person would read: its text plus the text inside its blocks. */
export function readableText(m: {
  text?: string | undefined;
  blocks?: readonly unknown[] | undefined;
}): string {
  const parts: string[] = m.text ? [m.text] : [];
  collectText(m.blocks, parts);
  return parts.join('\n');
}

function collectText(node: unknown, parts: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectText(item, parts);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Record<string, unknown>;
  if ((n.type === 'plain_text' || n.type === 'mrkdwn') && typeof n.text === 'string') parts.push(n.text);
  for (const key of ['text', 'fields', 'elements', 'accessory']) {
    if (key === 'text' && typeof n.text === 'string') continue;
    collectText(n[key], parts);
  }
}
