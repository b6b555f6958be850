import type { Phase, Severity } from '../contract/payloads.ts';
import { incidentNow, type IncidentRecord } from './records/incident.ts';
import type { BroadcastLogEntry, LogChannel, LogEntry } from './records/notification.ts';
import type { RoundRecord } from './records/round.ts';
import type { Roster } from './roster.ts';
import { reachedCustomer, whoWasTold } from './told.ts';
import { summarise, type RetroSummary } from './retrospective-summary.ts';
import { promisedMinutes, senderRoles } from './retrospective-rules.ts';

/**
 * The comms retrospective of one incident (the handbook's "GTM logs feedback and follow-ups"): per
 * account, how long until the first message, whether every update came when the previous one said it
 * would, who sent each and how often the owner had to be covered, what failed and what customers answered.
 * Pure: the caller passes the incident, its rounds, its log and the roster. Whether an account was told in
 * a round is told.ts's answer, never decided again here. Times are on the incident's clock
 * (records/incident.ts incidentNow), as time to first notice is.
 */

/**
 * Who sent an update: the account's owner, a regional backup, a CMOC, the company (the CMOC's fallback), or
 * a company broadcast about the incident (`/comms broadcast`).
 */
export type SenderRole = 'owner' | 'backup' | 'cmoc' | 'company' | 'broadcast';

/**
 * first: nothing was promised before it; on_time / late: against the previous update's promise;
 * unpromised: the one before promised nothing (and a broadcast, whose words are the CMOC's own, neither
 * keeps nor makes the rounds' promise).
 */
export type UpdateTiming = 'first' | 'on_time' | 'late' | 'unpromised';

export interface RetroUpdate {
  /** The update round; absent for a broadcast. */
  round?: number;
  phase: Phase | 'broadcast';
  broadcastId?: string;
  /** When it first reached someone at the customer, on the incident's clock. */
  at: string;
  senderId: string;
  sentBy: SenderRole;
  via: LogChannel[];
  timing: UpdateTiming;
  /** What the previous update promised: "next update within N minutes", and so when this one was due. */
  promised?: { minutes: number; dueAt: string };
  /** Whole minutes after it was due (late only). */
  lateByMinutes?: number;
}

export interface RetroAccount {
  accountId: string;
  ownerId?: string;
  /** Minutes from the incident's start to the first message the account got. */
  minutesToFirstMessage?: number;
  updates: RetroUpdate[];
  /** The last update promised another that never came before the incident closed. */
  missed?: { afterRound: number; dueAt: string };
  /** Round updates someone other than the owner sent (a broadcast covers nobody: it goes to everyone). */
  covered: number;
  /** Recipients that failed for good, per round or broadcast (no addresses: the notification log has them). */
  failures: { round?: number; broadcastId?: string; channel: LogChannel; error: string }[];
  /** Rounds that reached nobody at the account. */
  roundsNotReached: number[];
  replies: number;
  /** Corrections of a sent update that reached someone at the account (`/comms correct`). */
  corrections: number;
}

/** A customer's reply logged against the incident: only the account is read here. */
export interface RetroReply {
  accountId: string;
}

export interface Retrospective {
  incidentId: string;
  title: string;
  severity: Severity;
  startedAt: string;
  resolvedAt?: string;
  summary: RetroSummary;
  accounts: RetroAccount[];
}

export interface RetrospectiveInput {
  incident: IncidentRecord;
  rounds: readonly (Pick<RoundRecord, 'round' | 'phase' | 'accountIds'> &
    Partial<Pick<RoundRecord, 'broadcastId' | 'promisedMinutes'>>)[];
  log: readonly LogEntry[];
  /** The company broadcasts about the incident, each with its log. */
  broadcasts?: readonly { broadcastId: string; log: readonly BroadcastLogEntry[] }[];
  roster: Pick<Roster, 'accounts' | 'regions' | 'policy'>;
  /** Customers' replies, when the log holds them; none is zero replies. */
  replies?: readonly RetroReply[];
  /** The correction lines of the log (notification-log.ts correctionsOf); none is zero corrections. */
  corrections?: readonly LogEntry[];
}

const MINUTE = 60_000;

export function retrospectiveOf(input: RetrospectiveInput): Retrospective {
  const { incident, roster } = input;
  const rounds = [...input.rounds].sort((a, b) => a.round - b.round);
  const owners = new Map(roster.accounts.map((a) => [a.id, a.ownerId]));
  const roleOf = senderRoles(incident, roster);
  const promise = promiseOf(rounds, promisedMinutes(incident, roster));
  // A round that opened with a company broadcast (broadcastAtStart): that broadcast is the round's update.
  const openedBy = new Map(rounds.flatMap((r) => (r.broadcastId ? [[r.broadcastId, r] as const] : [])));
  const clock = (wall: string) => incidentNow(incident, Date.parse(wall));
  const accounts = new Map<string, RetroAccount>();
  const account = (accountId: string): RetroAccount => {
    let found = accounts.get(accountId);
    if (!found) {
      const ownerId = owners.get(accountId);
      found = {
        accountId,
        ...(ownerId ? { ownerId } : {}),
        updates: [],
        covered: 0,
        failures: [],
        roundsNotReached: [],
        replies: 0,
        corrections: 0,
      };
      accounts.set(accountId, found);
    }
    return found;
  };
  for (const round of rounds) {
    const entries = input.log.filter((e) => e.round === round.round);
    for (const told of whoWasTold(round.accountIds, entries)) {
      const mine = account(told.accountId);
      mine.failures.push(
        ...told.failures.map((f) => ({ round: round.round, channel: f.channel, error: f.error })),
      );
      if (told.state === 'failed') mine.roundsNotReached.push(round.round);
      const first = told.state === 'notified' ? firstReached(entries, told.accountId) : undefined;
      if (!first) continue;
      const sentBy = first.asCompany ? 'company' : roleOf(first.senderId, mine.ownerId);
      mine.updates.push({
        round: round.round,
        phase: round.phase,
        at: clock(first.sentAt ?? first.claimedAt).toISOString(),
        senderId: first.senderId,
        sentBy,
        via: told.via,
        timing: 'first',
      });
      if (sentBy !== 'owner') mine.covered += 1;
    }
  }
  for (const { broadcastId, log } of input.broadcasts ?? []) {
    for (const told of whoWasTold([], log)) {
      const mine = account(told.accountId);
      mine.failures.push(...told.failures.map((f) => ({ broadcastId, channel: f.channel, error: f.error })));
      const first = told.state === 'notified' ? firstReached(log, told.accountId) : undefined;
      if (!first) continue;
      const round = openedBy.get(broadcastId);
      mine.updates.push({
        ...(round ? { round: round.round, phase: round.phase } : { phase: 'broadcast' as const }),
        broadcastId,
        at: clock(first.sentAt ?? first.claimedAt).toISOString(),
        senderId: first.senderId,
        sentBy: 'broadcast',
        via: told.via,
        timing: round ? 'first' : 'unpromised',
      });
    }
  }
  for (const reply of input.replies ?? []) account(reply.accountId).replies += 1;
  // One per correction that reached the account, however many of its recipients it reached.
  const corrected = new Map<string, Set<string>>();
  for (const e of (input.corrections ?? []).filter(reachedCustomer)) {
    corrected.set(e.accountId, (corrected.get(e.accountId) ?? new Set()).add(e.correction ?? ''));
  }
  for (const [accountId, ids] of corrected) account(accountId).corrections = ids.size;
  for (const mine of accounts.values()) judge(mine, incident, promise);
  const list = [...accounts.values()];
  return {
    incidentId: incident.incidentId,
    title: incident.title,
    severity: incident.severity,
    startedAt: incident.startedAt,
    ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
    summary: summarise(list),
    accounts: list,
  };
}

/**
 * The account's first recipient the message reached (told.ts reachedCustomer): when the customer got it,
 * and who sent it — told.ts's sentBy too.
 */
function firstReached<E extends LogEntry | BroadcastLogEntry>(
  entries: readonly E[],
  accountId: string,
): E | undefined {
  return entries
    .filter((e) => e.accountId === accountId && reachedCustomer(e))
    .sort((a, b) => (a.sentAt ?? a.claimedAt).localeCompare(b.sentAt ?? b.claimedAt))[0];
}

/** Each update against what the one before it promised; the first message against the incident's start. */
function judge(
  mine: RetroAccount,
  incident: IncidentRecord,
  promise: (update: RetroUpdate) => number | undefined,
): void {
  mine.updates.sort((a, b) => a.at.localeCompare(b.at));
  const first = mine.updates[0];
  if (first) mine.minutesToFirstMessage = minutes(Date.parse(first.at) - Date.parse(incident.startedAt));
  // The rounds' own updates make and keep the promises; broadcasts stay "unpromised" beside them.
  const chain = mine.updates.filter((u): u is RetroUpdate & { round: number } => u.round !== undefined);
  chain.forEach((update, i) => {
    const before = chain[i - 1];
    if (!before) return;
    const promised = promise(before);
    if (promised === undefined) {
      update.timing = 'unpromised';
      return;
    }
    const due = Date.parse(before.at) + promised * MINUTE;
    update.promised = { minutes: promised, dueAt: new Date(due).toISOString() };
    const late = Date.parse(update.at) - due;
    update.timing = late > 0 ? 'late' : 'on_time';
    if (late > 0) update.lateByMinutes = Math.ceil(late / MINUTE);
  });
  // A closed incident's last word promised another: it never came (the resolution would have been it).
  const last = chain.at(-1);
  const promised = last && promise(last);
  if (incident.status === 'resolved' && last && promised !== undefined) {
    mine.missed = {
      afterRound: last.round,
      dueAt: new Date(Date.parse(last.at) + promised * MINUTE).toISOString(),
    };
  }
}

/**
 * What an update promised: what its round recorded when drafted; for a round drafted before that was
 * recorded, the rule applied to the incident as it is now.
 */
function promiseOf(
  rounds: RetrospectiveInput['rounds'],
  current: (phase: RetroUpdate['phase']) => number | undefined,
): (update: RetroUpdate) => number | undefined {
  const stored = new Map(rounds.map((r) => [r.round, r.promisedMinutes]));
  return (update) => {
    const recorded = update.round === undefined ? undefined : stored.get(update.round);
    return recorded === undefined ? current(update.phase) : (recorded ?? undefined);
  };
}

/** Whole minutes, rounded to the nearest; never negative (a send logged before the start reads 0). */
const minutes = (ms: number) => Math.max(0, Math.round(ms / MINUTE));
