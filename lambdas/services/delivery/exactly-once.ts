import { logger } from '../../adapters/logger.ts';
import { countSend } from '../../adapters/metrics.ts';
import {
  claim,
  complete,
  LostClaimError,
  markSending,
  release,
  type Claim,
  type LogRef,
  type NewLogEntry,
} from '../../adapters/notification-log.ts';
import { SendFailure, unconfirmed } from './failures.ts';
import { backoffMs, Gate, Pacer } from './pacing.ts';
import { sleep } from '../../adapters/sleep.ts';

/**
 * Exactly once per recipient, across Lambda retries, Step Functions retries and crashes:
 *   claim the log item → (look at the provider if an earlier attempt may have delivered) → send → record.
 * - A final item (sent, sent by the owner, failed) is never sent again.
 * - A certainly-unsent failure (429, throttling) gives the item back and is retried here, after the
 *   provider's Retry-After for that channel only, or with backoff.
 * - An attempt that may have delivered (timeout, 5xx, a crash between send and record) leaves the item
 *   marked: the next attempt asks the provider (Slack message metadata, Twilio's message list) and records
 *   what it finds instead of sending. Where the provider cannot tell (SES), the attempt marks the item
 *   just before the call: taken over without the mark, it is sent; with it, it is recorded failed as
 *   unconfirmed and the CMOC decides — never a blind resend.
 * - A permanent failure is recorded with its reason, never retried.
 * Whatever is not final when the time runs out is reported pending: the caller fails its step so the
 * workflow retries it, and the next run picks up exactly those items.
 */
export interface DeliveryJob {
  entry: NewLogEntry;
  /** Sends sharing a key are at least `minIntervalMs` apart and share a Retry-After (a Slack channel). */
  paceKey?: string;
  /** Sends; returns the provider's message id. */
  send(): Promise<string | undefined>;
  /** After an attempt that may have delivered: its provider id, 'not_found', or 'cannot_tell'. */
  check(since: string): Promise<{ found: string } | 'not_found' | 'cannot_tell'>;
  classify(error: unknown): SendFailure;
  /**
   * The provider cannot be asked afterwards (`check` cannot tell): the item is marked just before each
   * call, so an attempt that crashed without the mark is known unsent and is sent again.
   */
  marksSending?: boolean;
  /** Provider name for messages to people ("Slack", "SES"). */
  provider: string;
}

export interface DeliveryOptions {
  /** `record_only`: the owner sent it themselves; record each recipient without sending. */
  mode: 'send' | 'record_only';
  /** Epoch ms after which no new attempt starts (leave room for the last one inside the Lambda's timeout). */
  deadline: number;
  concurrency: number;
  leaseMs: number;
  /** Attempts per recipient across every run before it is recorded failed. */
  maxAttempts: number;
  minIntervalMs: number;
}

export interface DeliveryReport {
  sent: number;
  alreadySent: number;
  recorded: number;
  failed: number;
  pending: number;
  failures: { ref: LogRef; error: string }[];
  pendingRefs: LogRef[];
  /** When this run first recorded a recipient told (sent, or sent by the owner), for the first notice. */
  firstToldAt?: string;
}

/** A claim that failed outright (not one held by another attempt) is tried again this soon. */
const CLAIM_RETRY_MS = 500;

type Final = 'sent' | 'alreadySent' | 'recorded' | 'failed';
type Verdict = { final: Final; error?: string; at?: string } | { retryAt: number };

export function defaultDeliveryOptions(
  overrides: Partial<DeliveryOptions> & Pick<DeliveryOptions, 'mode' | 'deadline'>,
): DeliveryOptions {
  const leaseSeconds = Number(process.env.DELIVERY_LEASE_SECONDS);
  return {
    concurrency: 10,
    leaseMs: Number.isFinite(leaseSeconds) && leaseSeconds > 0 ? leaseSeconds * 1000 : 30_000,
    maxAttempts: 8,
    minIntervalMs: 1000,
    ...overrides,
  };
}

export async function deliverExactlyOnce(
  jobs: readonly DeliveryJob[],
  options: DeliveryOptions,
): Promise<DeliveryReport> {
  const report: DeliveryReport = {
    sent: 0,
    alreadySent: 0,
    recorded: 0,
    failed: 0,
    pending: 0,
    failures: [],
    pendingRefs: [],
  };
  const pacer = new Pacer(options.minIntervalMs);
  const gate = new Gate(options.concurrency);

  const run = async (job: DeliveryJob): Promise<void> => {
    for (;;) {
      const paced = options.mode === 'record_only' || (await pacer.turn(job.paceKey, options.deadline));
      if (!paced || Date.now() >= options.deadline) break;
      let verdict: Verdict;
      try {
        verdict = await gate.run(() => attempt(job, options, pacer));
      } catch (error) {
        // Never leave a job running past the invocation: unforeseen errors leave the recipient pending.
        logger.error('delivery attempt failed unexpectedly', { accountId: job.entry.accountId, error });
        break;
      }
      if ('final' in verdict) {
        report[verdict.final] += 1;
        const told = verdict.final === 'sent' || verdict.final === 'recorded';
        if (told && verdict.at && (!report.firstToldAt || verdict.at < report.firstToldAt))
          report.firstToldAt = verdict.at;
        if (verdict.final === 'failed')
          report.failures.push({ ref: job.entry, error: verdict.error ?? 'failed' });
        return;
      }
      if (verdict.retryAt >= options.deadline) break;
      await sleep(verdict.retryAt - Date.now());
    }
    report.pending += 1;
    report.pendingRefs.push(job.entry);
  };
  await Promise.all(jobs.map(run));
  return report;
}

async function attempt(job: DeliveryJob, options: DeliveryOptions, pacer: Pacer): Promise<Verdict> {
  const ref = job.entry;
  const at = new Date().toISOString();
  let held: Claim;
  try {
    held = await claim(job.entry, at, { leaseMs: options.leaseMs });
  } catch (error) {
    logger.warn('claim failed; will try again', { accountId: ref.accountId, channel: ref.channel, error });
    return { retryAt: Date.now() + CLAIM_RETRY_MS };
  }
  if (!held.claimed) {
    const { existing } = held;
    if (existing.status === 'sent' || existing.status === 'sent_by_owner') return { final: 'alreadySent' };
    if (existing.status === 'failed') return { final: 'failed', error: existing.error ?? 'failed' };
    // Another attempt holds it: look again once its lease has run out.
    return { retryAt: Date.parse(existing.leaseUntil ?? at) + 100 };
  }
  const { claimId, previous } = held;
  const record = async (outcome: Parameters<typeof complete>[1], final: Final): Promise<Verdict> => {
    try {
      await complete(ref, outcome, claimId);
      // Counted once per recipient: only the attempt that records the outcome gets here.
      countSend(ref.channel, outcome.status);
      return { final, at: outcome.at, ...(outcome.error ? { error: outcome.error } : {}) };
    } catch (error) {
      // Done but not written down: the claim stays until its lease ends and the next attempt checks first.
      logger.error('outcome not recorded', { accountId: ref.accountId, channel: ref.channel, error });
      return { retryAt: Date.now() + options.leaseMs + 100 };
    }
  };

  // A crashed attempt of a marking job that left no mark never reached the provider: nothing to look for.
  const neverCalled =
    job.marksSending && previous?.status === 'claimed' && !previous.sendingAt && !previous.needsCheck;
  if (previous && !neverCalled && (previous.status === 'claimed' || previous.needsCheck)) {
    let found: Awaited<ReturnType<DeliveryJob['check']>>;
    try {
      found = await job.check(previous.claimedAt);
    } catch (error) {
      return giveBack(job, claimId, job.classify(error), true, held.attempts, pacer);
    }
    if (typeof found === 'object') {
      logger.info('earlier attempt had delivered; recorded, not resent', { accountId: ref.accountId });
      // It reached the customer during this delivery: counted as sent, recorded with the provider's id.
      return record({ status: 'sent', at: new Date().toISOString(), providerId: found.found }, 'sent');
    }
    if (found === 'cannot_tell') {
      const error = unconfirmed(job.provider);
      return record({ status: 'failed', at: new Date().toISOString(), error }, 'failed');
    }
  }
  if (held.attempts > options.maxAttempts) {
    const error = `gave up after ${options.maxAttempts} attempts: ${previous?.error ?? 'unknown error'}`;
    return record({ status: 'failed', at: new Date().toISOString(), error }, 'failed');
  }
  if (options.mode === 'record_only') return record({ status: 'sent_by_owner', at }, 'recorded');

  if (job.marksSending) {
    try {
      await markSending(ref, claimId, new Date().toISOString());
    } catch (error) {
      if (error instanceof LostClaimError) return { retryAt: Date.now() };
      // Not marked, so not called: certainly unsent.
      const reason = `log: ${error instanceof Error ? error.name : 'error'}`;
      logger.warn('could not mark the send; will try again', { accountId: ref.accountId, error });
      return giveBack(job, claimId, new SendFailure('retry', reason), false, held.attempts, pacer);
    }
  }
  let providerId: string | undefined;
  try {
    providerId = await job.send();
  } catch (error) {
    if (error instanceof LostClaimError) return { retryAt: Date.now() };
    const failure = job.classify(error);
    const details = {
      accountId: ref.accountId,
      channel: ref.channel,
      kind: failure.kind,
      reason: failure.reason,
    };
    if (failure.kind === 'permanent') logger.warn('send failed', details);
    else logger.info('send failed; will retry', details);
    if (failure.kind === 'permanent')
      return record({ status: 'failed', at: new Date().toISOString(), error: failure.reason }, 'failed');
    return giveBack(job, claimId, failure, failure.kind === 'ambiguous', held.attempts, pacer);
  }
  return record(
    { status: 'sent', at: new Date().toISOString(), ...(providerId ? { providerId } : {}) },
    'sent',
  );
}

async function giveBack(
  job: DeliveryJob,
  claimId: string,
  failure: SendFailure,
  needsCheck: boolean,
  attempts: number,
  pacer: Pacer,
): Promise<Verdict> {
  if (failure.retryAfterMs !== undefined) pacer.block(job.paceKey, Date.now() + failure.retryAfterMs);
  try {
    await release(job.entry, claimId, { error: failure.reason, needsCheck });
  } catch (error) {
    // Still claimed: it becomes free when the lease ends, and is then checked before any resend.
    logger.warn('could not give the item back; waiting for its lease', { error });
  }
  return { retryAt: pacer.nextTry(job.paceKey, failure.retryAfterMs ?? backoffMs(attempts)) };
}
