import { batchCountsOf } from '../../adapters/broadcasts.ts';
import type { BroadcastProgress, BroadcastRecord } from '../../domain/records/broadcast.ts';

/** Progress from the batches' own counts (each set by its batch, so a retried batch never counts twice). */
export async function progressOf(broadcast: BroadcastRecord): Promise<BroadcastProgress> {
  const total = broadcast.total ?? 0;
  if (broadcast.status === 'finished' && broadcast.outcome) {
    const { sent, failed, pending } = broadcast.outcome;
    return { total, sent, failed, pending, done: sent + failed };
  }
  const counts = { sent: 0, failed: 0 };
  for (const batch of await batchCountsOf(broadcast.broadcastId)) {
    counts.sent += batch?.sent ?? 0;
    counts.failed += batch?.failed ?? 0;
  }
  const done = counts.sent + counts.failed;
  const pending = total - done;
  const started = Date.parse(broadcast.plannedAt ?? broadcast.createdAt);
  const elapsed = (Date.now() - started) / 1000;
  return {
    total,
    ...counts,
    pending,
    done,
    ...(done > 0 && pending > 0 ? { etaSeconds: Math.ceil((elapsed / done) * pending) } : {}),
  };
}
