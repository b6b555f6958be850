import type { AnyLogEntry, LogChannel } from '../adapters/notification-log.ts';

/**
 * The CMOC's "central log of who's been notified", per account: notified (someone at the customer got it),
 * failed (nothing reached them and nothing is still trying), or pending (not sent yet, or still retrying).
 * Pure: callers pass the log entries (an incident's, a round's, a broadcast's).
 */
export type AccountState = 'notified' | 'pending' | 'failed';

export interface AccountStatus {
  accountId: string;
  state: AccountState;
  /** Channels that reached the customer. */
  via: LogChannel[];
  /** Who sent it (person id), from the first successful entry. */
  sentBy?: string;
  /** When it was last sent. */
  sentAt?: string;
  /** Recipients that failed for good, with the reason — also when another channel got through. */
  failures: { channel: LogChannel; recipient: string; error: string }[];
  /** Recipients not final yet. */
  pending: number;
}

const DONE = new Set(['sent', 'sent_by_owner']);

/** One status per account in `accountIds` (those with no entry yet are pending), or per account logged. */
export function accountStatuses(
  entries: readonly AnyLogEntry[],
  accountIds?: readonly string[],
): AccountStatus[] {
  const ids = accountIds ?? [...new Set(entries.map((e) => e.accountId))];
  return ids.map((accountId) => {
    const mine = entries.filter((e) => e.accountId === accountId);
    const done = mine.filter((e) => DONE.has(e.status));
    const failures = mine
      .filter((e) => e.status === 'failed')
      .map((e) => ({ channel: e.channel, recipient: e.recipient, error: e.error ?? 'failed' }));
    const pending = mine.filter((e) => e.status === 'claimed' || e.status === 'retrying').length;
    const state: AccountState =
      done.length > 0 ? 'notified' : failures.length > 0 && pending === 0 ? 'failed' : 'pending';
    const latest = done
      .map((e) => e.sentAt ?? e.claimedAt)
      .sort()
      .at(-1);
    return {
      accountId,
      state,
      via: [...new Set(done.map((e) => e.channel))],
      ...(done[0] ? { sentBy: done[0].senderId } : {}),
      ...(latest ? { sentAt: latest } : {}),
      failures,
      pending,
    };
  });
}

/** Counts for a headline: "12 notified, 1 pending, 2 failed of 15". */
export function tally(statuses: readonly AccountStatus[]): Record<AccountState, number> & { total: number } {
  const counts = { notified: 0, pending: 0, failed: 0, total: statuses.length };
  for (const s of statuses) counts[s.state] += 1;
  return counts;
}
