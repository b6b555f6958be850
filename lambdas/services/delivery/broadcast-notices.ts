import type { ChatPostMessageArguments, ChatPostMessageResponse, WebClient } from '@slack/web-api';
import type { Roster } from '../../domain/roster.ts';
import { setProgressMessage } from '../../adapters/broadcasts.ts';
import type { BroadcastProgress, BroadcastRecord } from '../../domain/records/broadcast.ts';
import { engagementChannelOf } from '../../domain/replies.ts';
import { logger } from '../../adapters/logger.ts';
import { dmTo, slack } from '../../adapters/slack.ts';
import { sleep } from '../../adapters/sleep.ts';
import { progressText } from '../../messages/broadcast-progress.ts';
import { progressOf } from './progress.ts';

/** Posts of one notice, and the longest Retry-After it waits out, before the notice is given up. */
const NOTICE_ATTEMPTS = 3;
const NOTICE_MAX_WAIT_MS = 5_000;

/**
 * Posts a message for people inside the company (the progress message, the CMOC's summary). The client
 * rejects rate-limited calls so no customer post queues behind them; a notice simply waits out its own
 * Retry-After, a few times, instead of failing the step that posts it.
 */
export async function postNotice(
  web: WebClient,
  message: ChatPostMessageArguments,
): Promise<ChatPostMessageResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await web.chat.postMessage(message);
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      if (e.code !== 'slack_webapi_rate_limited_error' || attempt >= NOTICE_ATTEMPTS) throw error;
      await sleep(Math.min(NOTICE_MAX_WAIT_MS, (e.retryAfter ?? 1) * 1000));
    }
  }
}

/**
 * What people inside the company see of a broadcast: one progress message in the engagement channel (or
 * the CMOC's DM when there is none), edited as batches finish, and the CMOC's summary at the end.
 */
export function progressChannel(broadcast: BroadcastRecord, roster: Roster): string {
  const engagement = engagementChannelOf(roster, broadcast);
  if (engagement) return engagement;
  const cmoc = roster.people.find((p) => p.id === broadcast.requestedBy);
  if (!cmoc)
    throw new Error(
      `Broadcast ${broadcast.broadcastId}: requester ${broadcast.requestedBy} is not in the roster`,
    );
  return dmTo(cmoc.slackUserId);
}

/**
 * Posts the progress message once (a retried plan finds it) and remembers where it is. Like its edits, it
 * must never stop the broadcast: if Slack will not take it, the broadcast goes out without one (the log
 * and the CMOC's summary still say how it went).
 */
export async function openProgressMessage(broadcast: BroadcastRecord, roster: Roster): Promise<void> {
  if (broadcast.progressMessage) return;
  try {
    const web = await slack();
    const channel = progressChannel(broadcast, roster);
    const progress = await progressOf(broadcast);
    const posted = await postNotice(web, {
      channel,
      text: progressText(broadcast, roster, progress, false),
      unfurl_links: false,
    });
    if (posted.ts) {
      const message = { channel: posted.channel ?? channel, ts: posted.ts };
      await setProgressMessage(broadcast.broadcastId, message);
      broadcast.progressMessage = message;
    }
  } catch (error) {
    logger.warn('could not post the broadcast progress message; sending without it', {
      broadcastId: broadcast.broadcastId,
      error,
    });
  }
}

/** Edits the progress message; a failure here must never fail a batch (the log is the record). */
export async function showProgress(
  web: WebClient,
  broadcast: BroadcastRecord,
  roster: Roster,
  progress: BroadcastProgress,
  finished: boolean,
): Promise<void> {
  const message = broadcast.progressMessage;
  if (!message) return;
  try {
    await web.chat.update({
      channel: message.channel,
      ts: message.ts,
      text: progressText(broadcast, roster, progress, finished),
    });
  } catch (error) {
    logger.warn('could not update the broadcast progress message', {
      broadcastId: broadcast.broadcastId,
      error,
    });
  }
}
