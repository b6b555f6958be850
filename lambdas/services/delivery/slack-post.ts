import type { AnyBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../../adapters/slack-errors.ts';

/**
 * Customer posts carry Slack message metadata naming what they are. That is how an interrupted send is
 * recognised afterwards (conversations.history / replies with include_all_metadata) instead of being
 * posted a second time.
 */
export type PostTag =
  | { kind: 'update'; incidentId: string; round: number; accountId: string }
  | { kind: 'broadcast'; broadcastId: string; accountId: string }
  /** The incident channel's own posts (services/incident-channel.ts): its summary and pinned status. */
  | { kind: 'channel'; incidentId: string; part: 'summary' | 'status' };

export const UPDATE_EVENT_TYPE = 'incident_update';
export const BROADCAST_EVENT_TYPE = 'company_broadcast';
export const CHANNEL_EVENT_TYPE = 'incident_channel';

export function metadataOf(tag: PostTag): {
  event_type: string;
  event_payload: Record<string, string | number>;
} {
  switch (tag.kind) {
    case 'update':
      return {
        event_type: UPDATE_EVENT_TYPE,
        event_payload: { incident_id: tag.incidentId, round: tag.round, account_id: tag.accountId },
      };
    case 'broadcast':
      return {
        event_type: BROADCAST_EVENT_TYPE,
        event_payload: { broadcast_id: tag.broadcastId, account_id: tag.accountId },
      };
    case 'channel':
      return {
        event_type: CHANNEL_EVENT_TYPE,
        event_payload: { incident_id: tag.incidentId, part: tag.part },
      };
  }
}

/**
 * Whether a message's metadata names this tag: what metadataOf writes, read back. Slack may hand a number
 * back as a string, so the payload's values are compared as text.
 */
function matches(
  tag: PostTag,
  metadata: { event_type?: string; event_payload?: unknown } | undefined,
): boolean {
  const found = metadata?.event_payload as Record<string, unknown> | undefined;
  const wanted = metadataOf(tag);
  return (
    found !== undefined &&
    metadata?.event_type === wanted.event_type &&
    Object.entries(wanted.event_payload).every(([key, value]) => String(found[key]) === String(value))
  );
}

export interface CustomerPost {
  channel: string;
  text: string;
  blocks?: AnyBlock[];
  /** Later updates of an incident thread under its first message in the channel. */
  threadTs?: string;
  /** The name shown (chat:write.customize): the person sending, or the company. */
  username: string;
  iconUrl?: string;
  tag: PostTag;
}

/** Posts into a customer's channel; returns the message ts (what the log records as provider id). */
export async function postToCustomer(web: WebClient, post: CustomerPost): Promise<string> {
  const send = (threadTs: string | undefined) =>
    web.chat.postMessage({
      channel: post.channel,
      text: post.text,
      ...(post.blocks ? { blocks: post.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs, reply_broadcast: false } : {}),
      username: post.username,
      ...(post.iconUrl ? { icon_url: post.iconUrl } : {}),
      unfurl_links: false,
      metadata: metadataOf(post.tag),
    });
  let posted;
  try {
    posted = await send(post.threadTs);
  } catch (error) {
    // The thread's first message was deleted: Slack posted nothing, so a top-level post is safe.
    const code = slackErrorCode(error);
    if (!post.threadTs || code !== 'thread_not_found') throw error;
    posted = await send(undefined);
  }
  if (!posted.ts) throw new Error('Slack accepted the post but returned no timestamp');
  return posted.ts;
}

/** Slack timestamps are seconds; allow for clocks that disagree a little. */
const SKEW_SECONDS = 60;
const MAX_PAGES = 5;

/**
 * Our own post with this tag in the channel (or the thread) since `since`, if there is one. Found → it was
 * posted and must not be posted again; not found → it never reached Slack.
 */
export async function findPost(
  web: WebClient,
  channel: string,
  tag: PostTag,
  options: { since: string; threadTs?: string },
): Promise<string | undefined> {
  const oldest = String(Math.floor(Date.parse(options.since) / 1000) - SKEW_SECONDS);
  const scan = async (read: (cursor?: string) => ReturnType<WebClient['conversations']['history']>) => {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await read(cursor);
      const hit = (out.messages ?? []).find((m) => m.ts && matches(tag, m.metadata));
      if (hit?.ts) return hit.ts;
      cursor = out.response_metadata?.next_cursor;
      if (!out.has_more || !cursor) return undefined;
    }
    return undefined;
  };
  const common = { channel, oldest, include_all_metadata: true, limit: 200 };
  if (options.threadTs) {
    const threadTs = options.threadTs;
    const inThread = await scan((cursor) =>
      web.conversations.replies({ ...common, ts: threadTs, ...(cursor ? { cursor } : {}) }),
    );
    if (inThread) return inThread;
  }
  return scan((cursor) => web.conversations.history({ ...common, ...(cursor ? { cursor } : {}) }));
}
