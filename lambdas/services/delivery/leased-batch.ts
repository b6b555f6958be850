import { logger } from '../../adapters/logger.ts';
import { countSend } from '../../adapters/metrics.ts';
import type { StoredEntry } from '../../adapters/notification-log-batch.ts';
import { logKey, type LogRef } from '../../adapters/notification-log.ts';
import { FINAL_STATUSES, type AnyLogEntry } from '../../domain/records/notification.ts';
import type { DeliveryJob } from './exactly-once.ts';
import { unconfirmed, type SendFailure } from './failures.ts';
import { backoffMs, Gate, Pacer } from './pacing.ts';
import { sleep } from '../../adapters/sleep.ts';

/**
 * Exactly once for a run that alone holds its recipients' log items (a broadcast batch under its lease,
 * adapters/broadcast-runs.ts). The per-item claim of exactly-once.ts is not needed — nobody else may send
 * to these recipients while the lease holds — so a send costs one provider call, and outcomes are written
 * in batches. The rest of the contract is the same:
 * - a final item is never sent again;
 * - a 429 holds back only its own channel, for its Retry-After;
 * - after an attempt that may have delivered (timeout, 5xx), or when an earlier run may have posted without
 *   recording it, the provider is asked before anything is sent;
 * - whatever is not final when the time runs out is written back for the next run, marked to be looked
 *   up first when it may have been delivered.
 */
export interface LeasedRunOptions {
  deadline: number;
  concurrency: number;
  minIntervalMs: number;
  maxAttempts: number;
  /** What the log already holds for these recipients, by their log sort key. */
  previous: ReadonlyMap<string, StoredEntry>;
  /** An earlier run may have posted without recording it: look for posts since then before sending. */
  unsureSince?: string;
  leaseMs: number;
  /** Extends the lease; false when the run no longer holds it. */
  keepLease(): Promise<boolean>;
  write(items: Required<StoredEntry>[]): Promise<void>;
}

export interface LeasedRunReport {
  sent: number;
  alreadySent: number;
  failed: number;
  pending: number;
  failures: { ref: LogRef; error: string }[];
  /** Some outcome may not be written down (a write failed, or the lease was lost): the next run looks first. */
  unsure: boolean;
}

type Verdict =
  | { final: 'sent'; at: string; providerId?: string }
  | { final: 'failed'; at: string; error: string }
  | { retryAt: number };

/** Outcomes waiting before they are written even while sends are in flight: what a crash leaves to look up. */
const WRITE_BACKLOG = 100;

export async function deliverLeased(
  jobs: readonly DeliveryJob[],
  options: LeasedRunOptions,
): Promise<LeasedRunReport> {
  const report: LeasedRunReport = {
    sent: 0,
    alreadySent: 0,
    failed: 0,
    pending: 0,
    failures: [],
    unsure: false,
  };
  const pacer = new Pacer(options.minIntervalMs);
  const gate = new Gate(options.concurrency);
  const writer = new Writer(
    (items) => options.write(items),
    () => (report.unsure = true),
  );
  const here = { gate, writer };
  runsHere.add(here);
  const lease = new LeaseKeeper(options);
  const leftovers: Required<StoredEntry>[] = [];

  const run = async (job: DeliveryJob): Promise<void> => {
    const before = options.previous.get(logKey(job.entry).sk);
    if (before && FINAL_STATUSES.includes(before.entry.status)) {
      if (before.entry.status === 'failed') {
        report.failed += 1;
        report.failures.push({ ref: job.entry, error: before.entry.error ?? 'failed' });
      } else report.alreadySent += 1;
      return;
    }
    const state: JobState = {
      attempts: before?.entry.attempts ?? 0,
      firstAttemptAt: before?.firstAttemptAt,
      lastAttemptAt: undefined,
      lastError: before?.entry.error,
      lookSince: options.unsureSince ?? (before?.entry.needsCheck ? before.entry.claimedAt : undefined),
    };
    for (;;) {
      if (lease.lost || !(await pacer.turn(job.paceKey, options.deadline))) break;
      if (lease.lost || Date.now() >= options.deadline) break;
      let verdict: Verdict;
      try {
        // Checked again once the gate lets it through: waiting there can outlast the lease or the deadline.
        verdict = await gate.run(() =>
          lease.lost || Date.now() >= options.deadline
            ? Promise.resolve({ retryAt: Number.POSITIVE_INFINITY })
            : attempt(job, state, options, pacer),
        );
      } catch (error) {
        // Never leave a job running past the invocation: unforeseen errors leave the recipient pending,
        // to be looked up before the next run sends (the attempt may have got as far as the provider).
        logger.error('delivery attempt failed unexpectedly', { accountId: job.entry.accountId, error });
        state.lookSince ??= state.lastAttemptAt;
        break;
      }
      if ('final' in verdict) writer.add(entryOf(job, state, verdict));
      writeWhenIdle();
      if ('final' in verdict) {
        countSend(job.entry.channel, verdict.final);
        if (verdict.final === 'sent') report.sent += 1;
        else {
          report.failed += 1;
          report.failures.push({ ref: job.entry, error: verdict.error });
        }
        return;
      }
      if (verdict.retryAt >= options.deadline) break;
      await sleep(verdict.retryAt - Date.now());
    }
    report.pending += 1;
    leftovers.push(pendingEntryOf(job, state));
  };
  try {
    await Promise.all(jobs.map(run));
  } finally {
    runsHere.delete(here);
    lease.stop();
    // What is left goes back for the next run — unless another run holds the batch now: writing "retrying"
    // over what that run recorded could have a channel posted twice.
    if (!lease.lost) for (const item of leftovers) writer.add(item);
    await writer.close();
  }
  if (lease.lost) report.unsure = true;
  return report;
}

interface JobState {
  attempts: number;
  firstAttemptAt: string | undefined;
  lastAttemptAt: string | undefined;
  lastError: string | undefined;
  /** Look at the provider before sending: something since this time may have arrived. */
  lookSince: string | undefined;
}

async function attempt(
  job: DeliveryJob,
  state: JobState,
  options: LeasedRunOptions,
  pacer: Pacer,
): Promise<Verdict> {
  const at = new Date().toISOString();
  state.firstAttemptAt ??= at;
  state.lastAttemptAt = at;
  if (state.lookSince !== undefined) {
    let found: Awaited<ReturnType<DeliveryJob['check']>>;
    try {
      found = await job.check(state.lookSince);
    } catch (error) {
      return retryLater(job, state, job.classify(error), pacer);
    }
    if (typeof found === 'object') {
      logger.info('earlier attempt had delivered; recorded, not resent', { accountId: job.entry.accountId });
      return { final: 'sent', at, providerId: found.found };
    }
    if (found === 'cannot_tell') {
      const error = unconfirmed(job.provider);
      return { final: 'failed', at, error };
    }
    state.lookSince = undefined;
  }
  state.attempts += 1;
  if (state.attempts > options.maxAttempts)
    return {
      final: 'failed',
      at,
      error: `gave up after ${options.maxAttempts} attempts: ${state.lastError ?? 'unknown error'}`,
    };
  try {
    const providerId = await job.send();
    return { final: 'sent', at: new Date().toISOString(), ...(providerId ? { providerId } : {}) };
  } catch (error) {
    const failure = job.classify(error);
    const details = { accountId: job.entry.accountId, kind: failure.kind, reason: failure.reason };
    if (failure.kind === 'permanent') {
      logger.warn('send failed', details);
      return { final: 'failed', at: new Date().toISOString(), error: failure.reason };
    }
    logger.info('send failed; will retry', details);
    if (failure.kind === 'ambiguous') state.lookSince = at;
    return retryLater(job, state, failure, pacer);
  }
}

function retryLater(
  job: DeliveryJob,
  state: JobState,
  failure: Pick<SendFailure, 'reason' | 'retryAfterMs'>,
  pacer: Pacer,
): Verdict {
  state.lastError = failure.reason;
  if (failure.retryAfterMs !== undefined) pacer.block(job.paceKey, Date.now() + failure.retryAfterMs);
  return { retryAt: pacer.nextTry(job.paceKey, failure.retryAfterMs ?? backoffMs(state.attempts)) };
}

/** The log item as the per-item path would have left it (notification-log.ts `complete`). */
function entryOf(
  job: DeliveryJob,
  state: JobState,
  verdict: Exclude<Verdict, { retryAt: number }>,
): Required<StoredEntry> {
  const at = state.lastAttemptAt ?? verdict.at;
  const entry = {
    ...job.entry,
    status: verdict.final,
    claimedAt: at,
    sentAt: verdict.at,
    attempts: state.attempts,
    ...(verdict.final === 'sent' && verdict.providerId ? { providerId: verdict.providerId } : {}),
    ...(verdict.final === 'failed' ? { error: verdict.error } : {}),
  } as AnyLogEntry;
  return { entry, firstAttemptAt: state.firstAttemptAt ?? at };
}

/** Left for the next run: `needsCheck` when it may have arrived, looked up from `claimedAt`. */
function pendingEntryOf(job: DeliveryJob, state: JobState): Required<StoredEntry> {
  const now = new Date().toISOString();
  const claimedAt = state.lookSince ?? state.lastAttemptAt ?? now;
  const entry = {
    ...job.entry,
    status: 'retrying',
    claimedAt,
    attempts: state.attempts,
    error: state.lastError ?? 'not tried before the step ran out of time',
    needsCheck: state.lookSince !== undefined,
  } as AnyLogEntry;
  return { entry, firstAttemptAt: state.firstAttemptAt ?? claimedAt };
}

/**
 * The runs going on in this process. Bookkeeping never holds up a customer's post, so outcomes are written
 * when no run here has a send in flight, not merely this one: where runs share a process (a broadcast's
 * batches on one of the local runtime's worker threads; a Lambda instance that serves invocations side by
 * side), one run's writes would otherwise take the CPU another run's first tries are waiting for. On a
 * Lambda instance serving one invocation at a time, this run is the only one.
 */
const runsHere = new Set<{ gate: Gate; writer: Writer }>();

/** After an attempt: if it was the last send in flight here, every run here writes what it holds. */
function writeWhenIdle(): void {
  for (const run of runsHere) if (run.gate.busy) return;
  for (const run of runsHere) run.writer.flush();
}

/**
 * Writes outcomes when asked (writeWhenIdle), once a backlog builds up, and at the run's end; whatever a
 * crash leaves unwritten, the next run looks up before sending. A failed write makes the run unsure, which
 * tells the next run the same.
 */
class Writer {
  private buffer: Required<StoredEntry>[] = [];
  private readonly writes: Promise<void>[] = [];

  constructor(
    private readonly write: (items: Required<StoredEntry>[]) => Promise<void>,
    private readonly failed: () => void,
  ) {}

  add(item: Required<StoredEntry>): void {
    this.buffer.push(item);
    if (this.buffer.length >= WRITE_BACKLOG) this.flush();
  }

  async close(): Promise<void> {
    this.flush();
    await Promise.all(this.writes);
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    this.writes.push(
      this.write(items).catch((error: unknown) => {
        logger.error('outcomes not recorded; the next run looks in the provider first', {
          count: items.length,
          error,
        });
        this.failed();
      }),
    );
  }
}

/**
 * Renews the lease at a third of its length. The run stops sending once the lease is lost, or once it has
 * not been renewed for two thirds of it, a renewal that hangs included (another run may take over when it
 * runs out).
 */
class LeaseKeeper {
  private refused = false;
  private renewing = false;
  private renewedAt = Date.now();
  private readonly interval: NodeJS.Timeout;

  constructor(private readonly options: Pick<LeasedRunOptions, 'leaseMs' | 'keepLease'>) {
    this.interval = setInterval(() => void this.renew(), Math.max(100, options.leaseMs / 3));
  }

  get lost(): boolean {
    return this.refused || Date.now() - this.renewedAt > (this.options.leaseMs * 2) / 3;
  }

  stop(): void {
    clearInterval(this.interval);
  }

  private async renew(): Promise<void> {
    if (this.lost) return this.stop();
    if (this.renewing) return;
    this.renewing = true;
    const started = Date.now();
    try {
      if (await this.options.keepLease()) this.renewedAt = started;
      else this.refused = true;
    } catch (error) {
      logger.warn('could not renew the lease', { error });
    } finally {
      this.renewing = false;
    }
  }
}
