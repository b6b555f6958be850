import { WebClient, type WebClientOptions } from '@slack/web-api';
import { optionalEnv } from './env.ts';
import { secret } from './secrets.ts';

/**
 * The Slack client. `SLACK_API_URL` points it at any Slack-compatible server (the local stand-in);
 * otherwise it talks to Slack itself.
 *
 * @slack/web-api pauses its whole queue on a 429 and retries for ~30 minutes by default (DESIGN §8): one
 * rate-limited channel would stall every other send. We reject rate-limited calls and retry briefly, so
 * the caller decides per channel.
 */
let client: WebClient | undefined;
let clientToken: string | undefined;

export async function slack(): Promise<WebClient> {
  const token = await secret('SLACK', 'SLACK_BOT_TOKEN');
  if (client && clientToken === token) return client;
  const options: WebClientOptions = {
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000 },
    timeout: 8_000,
  };
  const apiUrl = optionalEnv('SLACK_API_URL');
  if (apiUrl) options.slackApiUrl = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  client = new WebClient(token, options);
  clientToken = token;
  return client;
}

let deliveryClient: WebClient | undefined;
let deliveryToken: string | undefined;

/**
 * The client for customer posts: no retries at all. chat.postMessage has no idempotency key, and the
 * client's retries cover timeouts and 5xx answers, after which Slack may already have posted; the delivery
 * code retries only what it knows was not posted, and looks in the channel before retrying the rest.
 */
export async function slackForDelivery(): Promise<WebClient> {
  const token = await secret('SLACK', 'SLACK_BOT_TOKEN');
  if (deliveryClient && deliveryToken === token) return deliveryClient;
  const options: WebClientOptions = {
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 8_000,
  };
  const apiUrl = optionalEnv('SLACK_API_URL');
  if (apiUrl) options.slackApiUrl = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  deliveryClient = new WebClient(token, options);
  deliveryToken = token;
  return deliveryClient;
}

/** Opens (or finds) the DM channel with a user. */
export async function dmChannel(web: WebClient, slackUserId: string): Promise<string> {
  const opened = await web.conversations.open({ users: slackUserId });
  const id = opened.channel?.id;
  if (!id) throw new Error(`Slack did not open a DM with ${slackUserId}`);
  return id;
}

export async function postEphemeral(
  web: WebClient,
  channel: string,
  user: string,
  text: string,
): Promise<void> {
  await web.chat.postEphemeral({ channel, user, text });
}
