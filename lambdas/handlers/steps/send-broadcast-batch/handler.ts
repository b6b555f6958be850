import type { Context } from 'aws-lambda';
import { endBatchRun, keepBatchRun, startBatchRun, type BatchRun } from '../../../adapters/broadcast-runs.ts';
import { findBroadcast } from '../../../adapters/broadcasts.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { getEntries, putEntries, type StoredEntry } from '../../../adapters/notification-log-batch.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { slack, slackForDelivery } from '../../../adapters/slack.ts';
import { showProgress } from '../../../services/delivery/broadcast-notices.ts';
import { deadlineFor, DeliveryIncomplete } from '../../../services/delivery/deadline.ts';
import { defaultDeliveryOptions } from '../../../services/delivery/exactly-once.ts';
import { slackJob } from '../../../services/delivery/jobs.ts';
import { deliverLeased } from '../../../services/delivery/leased-batch.ts';
import { sleep } from '../../../adapters/sleep.ts';
import { progressOf } from '../../../services/delivery/progress.ts';
import type { BroadcastBatchInput, BroadcastBatchOutput } from '../../../contract/payloads.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/** Channels of one batch posted at once: distinct channels, so Slack's per-channel limit is not in play. */
const CONCURRENCY = 25;

/**
 * Posts a broadcast to one batch of channels, as the company, each channel at most once however often the
 * step runs. The run holds the batch under a lease (adapters/broadcast-runs.ts), posts, and writes the
 * outcomes in batches (services/delivery/leased-batch.ts). A 429 holds back only its own channel. Channels still
 * pending when time runs out fail the step with DeliveryIncomplete; the workflow retries the batch, which
 * then sends only those.
 */
export const handler = lambdaHandler(
  async (
    input: BroadcastBatchInput,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<BroadcastBatchOutput> => {
    logContext({ broadcastId: input.broadcastId, batch: input.batch });
    const deadline = deadlineFor(context);
    const { leaseMs, maxAttempts, minIntervalMs } = defaultDeliveryOptions({ mode: 'send', deadline });
    const [broadcast, run, roster, web] = await Promise.all([
      findBroadcast(input.broadcastId),
      takeBatch(input, leaseMs, deadline),
      currentRoster(),
      slackForDelivery(),
    ]);
    // Cannot happen (the plan writes batches from the broadcast); a run left holding the batch is a died run.
    if (!broadcast) throw new Error(`Broadcast ${input.broadcastId} is not known`);
    const jobs = run.targets.map((target) =>
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
    // A first run has nothing to read: no log item of this batch can exist before it.
    const previous =
      run.earlierRuns > 0 ? await getEntries(jobs.map((job) => job.entry)) : new Map<string, StoredEntry>();
    const report = await deliverLeased(jobs, {
      deadline,
      concurrency: CONCURRENCY,
      minIntervalMs,
      maxAttempts,
      leaseMs,
      previous,
      ...(run.unsureSince ? { unsureSince: run.unsureSince } : {}),
      keepLease: () =>
        keepBatchRun(input.broadcastId, input.batch, run.runId, new Date(Date.now() + leaseMs)),
      write: putEntries,
    });
    const counts = { sent: report.sent + report.alreadySent, failed: report.failed, pending: report.pending };
    const ended = await endBatchRun(input.broadcastId, input.batch, run.runId, {
      counts,
      unsure: report.unsure,
    });
    if (!ended) logger.warn('another run took the batch over before this one ended', { ...counts });
    logger.info('broadcast batch done', { ...counts });
    await showProgress(await slack(), broadcast, roster, await progressOf(broadcast), false);
    if (report.pending > 0) throw new DeliveryIncomplete(report);
    return { sent: counts.sent, failed: counts.failed };
  },
);

/**
 * Takes the batch; while another run holds it (a retry that overtook a run still going), waits for its
 * lease to run out if that comes before the deadline, else fails the step so the workflow tries later.
 */
async function takeBatch(input: BroadcastBatchInput, leaseMs: number, deadline: number): Promise<BatchRun> {
  for (;;) {
    const taken = await startBatchRun(input.broadcastId, input.batch, { now: new Date(), leaseMs });
    if (taken.started) return taken.run;
    if (taken.busyUntil >= deadline)
      throw new DeliveryIncomplete(
        `batch ${input.batch} is held by another run until ${new Date(taken.busyUntil).toISOString()}; retry the step`,
      );
    await sleep(taken.busyUntil - Date.now() + 50);
  }
}
