import type { WebClient } from '@slack/web-api';
import { optionalEnv } from './env.ts';
import { logger } from './logger.ts';
import { dmTo } from './slack.ts';
import { slackErrorCode } from './slack-errors.ts';

/**
 * Where a response_url may point: Slack's hooks host, or the Slack-compatible server SLACK_API_URL names.
 * The URL arrives in a signed payload, but we still never POST to an arbitrary address on its say-so.
 */
function trustedResponseUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' && url.hostname === 'hooks.slack.com') return url.href;
    const api = optionalEnv('SLACK_API_URL');
    if (api && url.origin === new URL(api).origin) return url.href;
  } catch {
    // not a URL at all
  }
  return undefined;
}

/**
 * Tells one person, and only them, something about what they just did: why a press changed nothing, or
 * what a `/comms` command did. Slack's response_url is the reliable way (it works in DMs and channels
 * alike); chat.postEphemeral is the fallback, and a DM to the person when they cannot see the
 * conversation. A failure here is logged, never thrown: what they asked for was itself handled.
 */
export async function tell(
  web: WebClient,
  to: { responseUrl?: string; channel?: string; user: string; text: string },
): Promise<void> {
  try {
    const responseUrl = trustedResponseUrl(to.responseUrl);
    if (responseUrl) {
      const response = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: to.text }),
        signal: AbortSignal.timeout(2_000),
      });
      if (response.ok) return;
    }
    if (to.channel) {
      try {
        await web.chat.postEphemeral({ channel: to.channel, user: to.user, text: to.text });
        return;
      } catch (error) {
        // Someone who is not in that conversation (another person's DM) cannot be shown an ephemeral there.
        if (slackErrorCode(error) !== 'user_not_in_channel') throw error;
      }
    }
    await web.chat.postMessage({ channel: dmTo(to.user), text: to.text });
  } catch (error) {
    logger.warn('could not tell the presser why their press changed nothing', { error });
  }
}
