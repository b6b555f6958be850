import type { Context } from 'aws-lambda';
import { findBroadcast, getBatch, saveBatchCounts } from '../adapters/broadcasts.ts';
import { logContext, logger } from '../adapters/logger.ts';
import { currentRoster } from '../adapters/roster.ts';
import { slack, slackForDelivery } from '../adapters/slack.ts';
import { showProgress } from '../delivery/broadcast-notices.ts';
import { deadlineFor, DeliveryIncomplete } from '../delivery/deadline.ts';
import { defaultDeliveryOptions, deliverExactlyOnce } from '../delivery/exactly-once.ts';
import { slackJob } from '../delivery/jobs.ts';
import { progressOf } from '../delivery/progress.ts';
import type { BroadcastBatchInput, BroadcastBatchOutput } from '../payloads.ts';

/** Channels of one batch posted at once: distinct channels, so Slack's per-channel limit is not in play. */
const CONCURRENCY = 25;

/**
 * Posts a broadcast to one batch of channels, as the company, each channel at most once however often the
 * step runs (delivery/exactly-once.ts). A 429 holds back only its own channel. Channels still pending when
 * time runs out fail the step with DeliveryIncomplete; the workflow retries the batch, which then sends
 * only those.
 */
export const handler = async (
  input: BroadcastBatchInput,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<BroadcastBatchOutput> => {
  logContext({ broadcastId: input.broadcastId, batch: input.batch });
  const deadline = deadlineFor(context);
  const broadcast = await findBroadcast(input.broadcastId);
  if (!broadcast) throw new Error(`Broadcast ${input.broadcastId} is not known`);
  const targets = await getBatch(input.broadcastId, input.batch);
  const roster = await currentRoster();
  const web = await slackForDelivery();
  const jobs = targets.map((target) =>
    slackJob(
      web,
      {
        broadcastId: broadcast.broadcastId,
        ...(broadcast.incidentId ? { incidentId: broadcast.incidentId } : {}),
        accountId: target.accountId,
        channel: 'slack',
        recipient: target.channelId,
        senderId: broadcast.requestedBy,
        asCompany: true,
      },
      {
        channel: target.channelId,
        text: broadcast.text,
        username: roster.company.name,
        tag: { kind: 'broadcast', broadcastId: broadcast.broadcastId, accountId: target.accountId },
      },
    ),
  );
  const report = await deliverExactlyOnce(
    jobs,
    defaultDeliveryOptions({ mode: 'send', deadline, concurrency: CONCURRENCY }),
  );
  const counts = { sent: report.sent + report.alreadySent, failed: report.failed, pending: report.pending };
  await saveBatchCounts(input.broadcastId, input.batch, counts);
  logger.info('broadcast batch done', { ...counts });
  await showProgress(await slack(), broadcast, roster, await progressOf(broadcast), false);
  if (report.pending > 0) throw new DeliveryIncomplete(report);
  return { sent: counts.sent, failed: counts.failed };
};
