import { batchesOf } from '../../adapters/broadcasts.ts';
import type { BroadcastCounts, BroadcastRecord } from '../../domain/records/broadcast.ts';

export interface BroadcastProgress extends BroadcastCounts {
  total: number;
  /** Channels with a final outcome (sent or failed). */
  done: number;
  /** Seconds until every channel is done at the pace so far; absent before the first batch or when done. */
  etaSeconds?: number;
}

/** Progress from the batches' own counts (each set by its batch, so a retried batch never counts twice). */
export async function progressOf(broadcast: BroadcastRecord): Promise<BroadcastProgress> {
  const total = broadcast.total ?? 0;
  if (broadcast.status === 'finished' && broadcast.outcome) {
    const { sent, failed, pending } = broadcast.outcome;
    return { total, sent, failed, pending, done: sent + failed };
  }
  const counts = { sent: 0, failed: 0 };
  for (const batch of await batchesOf(broadcast.broadcastId)) {
    counts.sent += batch.counts?.sent ?? 0;
    counts.failed += batch.counts?.failed ?? 0;
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

/** The line the CMOC and the engagement channel watch: "240 of 500 channels · 2 failed · about 12 s left". */
export function progressLine(p: BroadcastProgress, finished: boolean): string {
  const parts = [`${p.sent} of ${p.total} channel${p.total === 1 ? '' : 's'} sent`];
  if (p.failed > 0) parts.push(`${p.failed} failed`);
  if (finished) parts.push(p.pending > 0 ? `${p.pending} not sent` : 'done');
  else if (p.etaSeconds !== undefined) parts.push(`about ${formatSeconds(p.etaSeconds)} left`);
  return parts.join(' · ');
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.round(seconds / 60)} min`;
}
