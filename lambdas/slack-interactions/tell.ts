import type { WebClient } from '@slack/web-api';
import { logger } from '../adapters/logger.ts';

/**
 * Tells the presser, and only them, why a press changed nothing. Slack's response_url is the reliable way
 * (it works in DMs and channels alike); chat.postEphemeral is the fallback. A failure here is logged, never
 * turned into an error for Slack: the press itself was handled correctly.
 */
export async function tell(
  web: WebClient,
  to: { responseUrl?: string; channel?: string; user: string; text: string },
): Promise<void> {
  try {
    if (to.responseUrl) {
      const response = await fetch(to.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: to.text }),
        signal: AbortSignal.timeout(2_000),
      });
      if (response.ok) return;
    }
    if (to.channel) await web.chat.postEphemeral({ channel: to.channel, user: to.user, text: to.text });
  } catch (error) {
    logger.warn('could not tell the presser why their press changed nothing', { error });
  }
}
