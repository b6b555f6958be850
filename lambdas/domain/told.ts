import type { AnyLogEntry, LogChannel, LogStatus } from './records/notification.ts';

/**
 * Who has been told: the CMOC's "central log of who's been notified", decided once for every place that
 * shows it (the read API, the CMOC's round summaries and handovers, `/comms status`), so they never
 * disagree. Pure: callers pass the audience (the round's affected accounts) and the log entries.
 *
 * Per account:
 *   notified  someone at the customer got it (any recipient sent, by us or by the owner themselves);
 *   failed    nothing got through and nothing is still trying;
 *   pending   not told yet: nothing logged (the owner has not sent), or a recipient is still in flight
 *             (claimed by an attempt, or waiting for a retry) and none got through yet.
 * Every account of the audience counts, logged or not; an account logged but outside the audience is
 * counted too, after it, so nothing the log says is hidden.
 */

/** What this reads of a notification-log entry (a round's or a broadcast's). */
export type ToldEntry = Pick<
  AnyLogEntry,
  'accountId' | 'channel' | 'recipient' | 'senderId' | 'status' | 'claimedAt' | 'sentAt' | 'error'
>;

export type ToldState = 'notified' | 'pending' | 'failed';

export interface AccountTold {
  accountId: string;
  state: ToldState;
  /** Channels that reached the customer. */
  via: LogChannel[];
  /** Who sent it (person id): the sender of the first recipient that got it. */
  sentBy?: string;
  /** When it last reached a recipient. */
  sentAt?: string;
  /** Recipients that failed for good, with the reason — also when another channel got through. */
  failures: { channel: LogChannel; recipient: string; error: string }[];
  /** Recipients not final yet (claimed or retrying). Pending with none in flight: nobody has sent yet. */
  inFlight: number;
}

export type ToldTally = Record<ToldState, number> & { total: number };

const DELIVERED = new Set<LogStatus>(['sent', 'sent_by_owner']);
const IN_FLIGHT = new Set<LogStatus>(['claimed', 'retrying']);

const when = (e: ToldEntry) => e.sentAt ?? e.claimedAt;

/** The entry reached the customer (sent by us, or by the owner themselves): what "told" counts. */
export const reachedCustomer = (entry: Pick<ToldEntry, 'status'>): boolean => DELIVERED.has(entry.status);

/** One account's standing from its own entries (an empty list: not told yet). */
export function toldOf(accountId: string, entries: readonly ToldEntry[]): AccountTold {
  const delivered = entries.filter(reachedCustomer).sort((a, b) => when(a).localeCompare(when(b)));
  const failures = entries
    .filter((e) => e.status === 'failed')
    .map((e) => ({ channel: e.channel, recipient: e.recipient, error: e.error ?? 'failed' }));
  const inFlight = entries.filter((e) => IN_FLIGHT.has(e.status)).length;
  const state: ToldState =
    delivered.length > 0 ? 'notified' : failures.length > 0 && inFlight === 0 ? 'failed' : 'pending';
  const first = delivered[0];
  const last = delivered.at(-1);
  return {
    accountId,
    state,
    via: [...new Set(delivered.map((e) => e.channel))],
    ...(first ? { sentBy: first.senderId } : {}),
    ...(last ? { sentAt: when(last) } : {}),
    failures,
    inFlight,
  };
}

/** Every account of `audience` (in its order), then any other account the entries name. */
export function whoWasTold(audience: readonly string[], entries: readonly ToldEntry[]): AccountTold[] {
  const byAccount = new Map<string, ToldEntry[]>(audience.map((id) => [id, []]));
  for (const entry of entries) {
    const mine = byAccount.get(entry.accountId);
    if (mine) mine.push(entry);
    else byAccount.set(entry.accountId, [entry]);
  }
  return [...byAccount].map(([accountId, mine]) => toldOf(accountId, mine));
}

/**
 * Where every account stands now: each in the latest round it was in, judged on that round's entries
 * (an account an earlier round told but the latest has not is pending again: it has not heard the news).
 */
export function toldByLatestRound(
  rounds: readonly { round: number; accountIds: readonly string[] }[],
  entries: readonly (ToldEntry & { round?: number | undefined })[],
): (AccountTold & { round: number })[] {
  const latest = new Map<string, number>();
  for (const { round, accountIds } of [...rounds].sort((a, b) => a.round - b.round))
    for (const id of accountIds) latest.set(id, round);
  // An account logged in a round whose record is missing still counts, in the round it was logged.
  for (const e of entries)
    if (e.round !== undefined && !latest.has(e.accountId)) latest.set(e.accountId, e.round);
  const mine = new Map<string, ToldEntry[]>();
  for (const e of entries) {
    if (e.round === undefined || latest.get(e.accountId) !== e.round) continue;
    const list = mine.get(e.accountId) ?? [];
    list.push(e);
    mine.set(e.accountId, list);
  }
  return [...latest].map(([accountId, round]) => ({
    ...toldOf(accountId, mine.get(accountId) ?? []),
    round,
  }));
}

/** Pending with nothing in flight: nobody has sent to this account yet (nothing is logged for it). */
export const isUntold = (told: { state: ToldState; inFlight: number }): boolean =>
  told.state === 'pending' && told.inFlight === 0;

/** Counts for a headline: "12 notified, 1 pending, 2 failed of 15". */
export function tallyTold(told: readonly { state: ToldState }[]): ToldTally {
  const counts = { notified: 0, pending: 0, failed: 0, total: told.length };
  for (const t of told) counts[t.state] += 1;
  return counts;
}
