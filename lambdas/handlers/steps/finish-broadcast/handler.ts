import { batchesOf, finishBroadcast, findBroadcast } from '../../../adapters/broadcasts.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { broadcastLogOf, claim, complete } from '../../../adapters/notification-log.ts';
import { FINAL_STATUSES, type BroadcastLogEntry } from '../../../domain/records/notification.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { slack, slackForDelivery } from '../../../adapters/slack.ts';
import { dmOnce } from '../../../services/dm-once.ts';
import { postNotice, showProgress } from '../../../services/delivery/broadcast-notices.ts';
import { summaryText } from '../../../messages/broadcast-progress.ts';
import { findPost } from '../../../services/delivery/slack-post.ts';
import type { BroadcastInput } from '../../../contract/payloads.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/**
 * Closes a broadcast after every batch ran (or gave up): each channel left without a final outcome is
 * looked up in Slack (a batch may have died after posting) and recorded sent or failed, then the progress
 * message shows the result and the CMOC gets the summary. Nothing is sent to customers here.
 */
export const handler = lambdaHandler(
  async (input: BroadcastInput): Promise<{ sent: number; failed: number }> => {
    logContext({ broadcastId: input.broadcastId });
    const [broadcast, roster] = await Promise.all([findBroadcast(input.broadcastId), currentRoster()]);
    if (!broadcast) throw new Error(`Broadcast ${input.broadcastId} is not known`);
    const cmoc = roster.people.find((p) => p.id === broadcast.requestedBy);
    const notices = await slack();
    // The CMOC's summary once, however often the step runs (a retry after it was posted updates it).
    const tell = async (text: string, what: 'could-not-start' | 'summary') => {
      if (cmoc)
        await dmOnce(
          `broadcast:${broadcast.broadcastId}:${what}`,
          cmoc.slackUserId,
          { text },
          (web, channel) => postNotice(web, { channel, text, unfurl_links: false }),
        );
    };
    if (broadcast.status === 'requested') {
      // The audience was never worked out: nothing was sent.
      await finishBroadcast(broadcast.broadcastId, new Date().toISOString(), {
        sent: 0,
        failed: 0,
        pending: 0,
      });
      await tell(
        `:warning: Broadcast \`${broadcast.broadcastId}\` could not start (${input.error ?? 'unknown error'}). ` +
          'Nothing was sent to customers.',
        'could-not-start',
      );
      return { sent: 0, failed: 0 };
    }
    const web = await slackForDelivery();
    const [log, batches] = await Promise.all([
      broadcastLogOf(broadcast.broadcastId),
      batchesOf(broadcast.broadcastId),
    ]);
    const logged = new Map(log.map((e) => [e.recipient, e]));
    const at = new Date().toISOString();

    for (const batch of batches) {
      for (const target of batch.targets) {
        const entry = logged.get(target.channelId);
        if (entry && FINAL_STATUSES.includes(entry.status)) continue;
        const ref = {
          broadcastId: broadcast.broadcastId,
          accountId: target.accountId,
          channel: 'slack' as const,
          recipient: target.channelId,
        };
        if (!entry) await claim({ ...ref, senderId: broadcast.requestedBy, asCompany: true }, at);
        let ts: string | undefined;
        let unchecked: string | undefined;
        try {
          ts = await findPost(
            web,
            target.channelId,
            { kind: 'broadcast', broadcastId: broadcast.broadcastId, accountId: target.accountId },
            { since: entry?.claimedAt ?? broadcast.plannedAt ?? broadcast.createdAt },
          );
        } catch (error) {
          unchecked = error instanceof Error ? error.message : String(error);
        }
        const reason = entry?.error ?? 'its batch did not finish';
        const outcome = ts
          ? { status: 'sent' as const, at, providerId: ts }
          : {
              status: 'failed' as const,
              at,
              error: unchecked
                ? `unconfirmed: ${reason}; Slack could not be checked (${unchecked})`
                : `not sent: ${reason}`,
            };
        await complete(ref, outcome);
        logged.set(target.channelId, { ...(entry ?? ({} as BroadcastLogEntry)), ...ref, ...outcome });
      }
    }

    const entries = [...logged.values()];
    const failures = entries
      .filter((e) => e.status === 'failed')
      .map((e) => ({ accountId: e.accountId, error: e.error ?? 'failed' }));
    const outcome = { sent: entries.length - failures.length, failed: failures.length, pending: 0 };
    const total = broadcast.total ?? entries.length;
    const progress = { ...outcome, total, done: total };
    await finishBroadcast(broadcast.broadcastId, at, outcome);
    // The channel's progress message and the CMOC's summary are independent posts.
    await Promise.all([
      showProgress(notices, broadcast, roster, progress, true),
      tell(summaryText(broadcast, roster, progress, failures), 'summary'),
    ]);
    logger.info('broadcast finished', { ...outcome });
    return { sent: outcome.sent, failed: outcome.failed };
  },
);
