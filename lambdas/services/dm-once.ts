import type { AnyBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { findSentDm, recordSentDm, type SentDm } from '../adapters/sent-dms.ts';
import { dmTo, postedDmChannel, slack, updateDm } from '../adapters/slack.ts';

/**
 * A notice DM posted once under `key`, however often the step that sends it runs: Step Functions retries
 * a step whose first attempt may have posted already (it crashed, or timed out after finishing). The
 * second run finds the DM and updates it to the text it has now (the same text is a no-op) instead of
 * posting another. Slack has no idempotency key and the app does not read DMs back, so one window is
 * left: a crash between the post and its record.
 */
export async function dmOnce(
  key: string,
  slackUserId: string,
  message: { text: string; blocks?: AnyBlock[] },
  post: (
    web: WebClient,
    channel: string,
  ) => Promise<{ channel?: string | undefined; ts?: string | undefined }> = (web, channel) =>
    web.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      unfurl_links: false,
    }),
): Promise<SentDm> {
  const web = await slack();
  const sent = await findSentDm(key);
  if (sent) {
    await updateDm(web, sent, message);
    return sent;
  }
  const posted = await post(web, dmTo(slackUserId));
  if (!posted.ts) throw new Error('Slack accepted the DM but returned no timestamp');
  const dm = { channel: postedDmChannel(posted, slackUserId), ts: posted.ts };
  await recordSentDm(key, dm);
  return dm;
}
