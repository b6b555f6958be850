import type { AnyBlock } from '@slack/types';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { recordDm } from './actions.ts';
import type { ActionRecord } from '../domain/records/action.ts';
import { optionalEnv } from './env.ts';
import { httpFetch } from './http-fetch.ts';
import { secret } from './secrets.ts';

/**
 * The Slack client. `SLACK_API_URL` points it at any Slack-compatible server (the local stand-in);
 * otherwise it talks to Slack itself.
 *
 * @slack/web-api pauses its whole queue on a 429 and retries for ~30 minutes by default (docs/architecture.md, "Facts that bite"): one
 * rate-limited channel would stall every other send. We reject rate-limited calls and retry briefly, so
 * the caller decides per channel.
 */
const clients = new Map<'default' | 'delivery', { token: string; client: WebClient }>();

async function cachedClient(
  kind: 'default' | 'delivery',
  retryConfig: NonNullable<WebClientOptions['retryConfig']>,
): Promise<WebClient> {
  const token = await secret('SLACK', 'SLACK_BOT_TOKEN');
  const hit = clients.get(kind);
  if (hit?.token === token) return hit.client;
  const options: WebClientOptions = {
    rejectRateLimitedCalls: true,
    retryConfig,
    timeout: 8_000,
    fetch: httpFetch,
  };
  const apiUrl = optionalEnv('SLACK_API_URL');
  if (apiUrl) options.slackApiUrl = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  const client = new WebClient(token, options);
  clients.set(kind, { token, client });
  return client;
}

export const slack = (): Promise<WebClient> =>
  cachedClient('default', { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000 });

/**
 * The client for customer posts: no retries at all. chat.postMessage has no idempotency key, and the
 * client's retries cover timeouts and 5xx answers, after which Slack may already have posted; the delivery
 * code retries only what it knows was not posted, and looks in the channel before retrying the rest.
 */
export const slackForDelivery = (): Promise<WebClient> => cachedClient('delivery', { retries: 0 });

/**
 * Where a DM to a person is posted: chat.postMessage takes their user id as its channel and posts in the
 * app's DM with them, answering with that DM's own id (docs/architecture.md, "Facts that bite"). Opening the
 * DM first with conversations.open would cost a Slack round trip on every ask's critical path.
 */
export const dmTo = (slackUserId: string): string => slackUserId;

/** The DM's own id from chat.postMessage's answer: chat.update needs it, not the user id posted to. */
export function postedDmChannel(posted: { channel?: string | undefined }, slackUserId: string): string {
  if (!posted.channel) throw new Error(`Slack accepted a DM to ${slackUserId} but named no channel`);
  return posted.channel;
}

export async function postEphemeral(
  web: WebClient,
  channel: string,
  user: string,
  text: string,
): Promise<void> {
  await web.chat.postEphemeral({ channel, user, text });
}

/** Posts a DM to a person; when it carries an action's buttons, records where, so a press can update it. */
export async function postDm(
  slackUserId: string,
  message: { text: string; blocks?: AnyBlock[] },
  action?: ActionRecord,
): Promise<string> {
  const web = await slack();
  const posted = await web.chat.postMessage({
    channel: dmTo(slackUserId),
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    unfurl_links: false,
  });
  const channel = postedDmChannel(posted, slackUserId);
  if (action) {
    // Without the message's ts a press could never update it: better to fail the step and retry it.
    if (!posted.ts) throw new Error('Slack accepted the DM but returned no timestamp');
    await recordDm(action.actionId, { channel, ts: posted.ts });
  }
  return channel;
}

/** Rewrites a DM posted before (an ask's, once it is answered or has ended); the same text again is a no-op. */
export async function updateDm(
  web: WebClient,
  dm: { channel: string; ts: string },
  message: { text: string; blocks?: AnyBlock[] },
): Promise<void> {
  await web.chat.update({
    channel: dm.channel,
    ts: dm.ts,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
  });
}
