import type { WebClient } from '@slack/web-api';
import type { Person } from '../core/roster.ts';

/** Metadata on every customer post: how a crashed send is recognised later instead of being sent again. */
export const UPDATE_EVENT_TYPE = 'incident_update';

export interface PostRef {
  incidentId: string;
  round: number;
  accountId: string;
}

/** Posts into the customer's channel as the person sending (needs chat:write.customize). */
export async function postAsPerson(
  web: WebClient,
  input: {
    channel: string;
    sender: Person;
    text: string;
    blocks?: unknown[];
    threadTs?: string;
    ref: PostRef;
  },
): Promise<string> {
  const posted = await web.chat.postMessage({
    channel: input.channel,
    text: input.text,
    ...(input.blocks ? { blocks: input.blocks as never } : {}),
    ...(input.threadTs ? { thread_ts: input.threadTs, reply_broadcast: false } : {}),
    username: input.sender.name,
    ...(input.sender.avatarUrl ? { icon_url: input.sender.avatarUrl } : {}),
    unfurl_links: false,
    metadata: {
      event_type: UPDATE_EVENT_TYPE,
      event_payload: {
        incident_id: input.ref.incidentId,
        round: input.ref.round,
        account_id: input.ref.accountId,
      },
    },
  });
  if (!posted.ts) throw new Error('Slack accepted the post but returned no timestamp');
  return posted.ts;
}

/**
 * After a crash between posting and recording, looks for our own earlier post (by its metadata) in the
 * channel's recent history. Found → it was sent; not found → it never reached Slack and may be sent.
 */
export async function findEarlierPost(
  web: WebClient,
  channel: string,
  ref: PostRef,
  threadTs?: string,
): Promise<string | undefined> {
  const page = threadTs
    ? await web.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
    : await web.conversations.history({ channel, include_all_metadata: true, limit: 200 });
  for (const message of page.messages ?? []) {
    const meta = message.metadata;
    const p = meta?.event_payload as Record<string, unknown> | undefined;
    if (
      meta?.event_type === UPDATE_EVENT_TYPE &&
      p?.incident_id === ref.incidentId &&
      Number(p.round) === ref.round &&
      p.account_id === ref.accountId &&
      message.ts
    ) {
      return message.ts;
    }
  }
  return undefined;
}
