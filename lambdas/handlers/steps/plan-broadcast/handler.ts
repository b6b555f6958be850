import { findBroadcast, savePlan } from '../../../adapters/broadcasts.ts';
import { findIncident } from '../../../adapters/incidents.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { audienceWithIncident, inBatches } from '../../../domain/audience.ts';
import { openProgressMessage } from '../../../services/delivery/broadcast-notices.ts';
import type { BroadcastInput, PlanBroadcastOutput } from '../../../contract/payloads.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/** Channels per batch: one Lambda run posts them concurrently, each channel paced on its own. */
export const BATCH_SIZE = 50;

/**
 * Fixes a broadcast's audience (once: a retried step keeps the first plan, so owners coming online in
 * between change nothing), splits it into batches and opens the progress message.
 */
export const handler = lambdaHandler(async (input: BroadcastInput): Promise<PlanBroadcastOutput> => {
  logContext({ broadcastId: input.broadcastId });
  let broadcast = await findBroadcast(input.broadcastId);
  if (!broadcast) throw new BroadcastNotFound(input.broadcastId);
  const roster = await currentRoster();
  if (broadcast.status === 'requested') {
    const incident = broadcast.filter.incidentId
      ? await findIncident(broadcast.filter.incidentId)
      : undefined;
    const audience = audienceWithIncident(roster, broadcast.filter, incident, Date.now());
    const batches = inBatches(audience.targets, BATCH_SIZE);
    const plan = { plannedAt: new Date().toISOString(), withoutSlack: audience.withoutSlack };
    broadcast = {
      ...broadcast,
      ...plan,
      status: 'sending',
      total: audience.targets.length,
      batches: batches.length,
    };
    // The progress message goes up while the plan is written: it only needs the totals.
    await Promise.all([
      savePlan(broadcast.broadcastId, batches, plan),
      openProgressMessage(broadcast, roster),
    ]);
    logger.info('broadcast planned', {
      channels: broadcast.total,
      withoutSlack: audience.withoutSlack.length,
    });
  } else await openProgressMessage(broadcast, roster);
  return {
    broadcastId: broadcast.broadcastId,
    batches: Array.from({ length: broadcast.batches ?? 0 }, (_, n) => n),
  };
});

export class BroadcastNotFound extends Error {
  constructor(broadcastId: string) {
    super(`Broadcast ${broadcastId} is not known`);
    this.name = 'BroadcastNotFound';
  }
}
