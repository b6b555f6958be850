import type { AnyLogEntry } from './records/notification.ts';
import type { BroadcastRecord } from './records/broadcast.ts';
import { cmocAt } from './follow-the-sun.ts';
import type { Account, Roster } from './roster.ts';
import { reachedCustomer } from './told.ts';

/**
 * Which of our updates a customer's Slack message answers, and who hears about it. Pure: the caller
 * passes the account's notification log and which incidents are open.
 *
 * A message in a thread whose first post is one of our posts to that channel answers that thread: a
 * broadcast's own post, or an incident's thread (later rounds are threaded under the first one, so the
 * newest round the account got before the message is the update answered). Any other message in the
 * channel answers the newest update the account got about an incident still open; with none open it
 * answers nothing.
 */
export interface CustomerMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** When Slack delivered it (ISO 8601). */
  at: string;
}

const when = (e: AnyLogEntry) => e.sentAt ?? e.claimedAt;

/** The newest entry among `entries`, preferring those sent before `at` (clocks may disagree a little). */
function newest(entries: readonly AnyLogEntry[], at: string): AnyLogEntry | undefined {
  const sorted = [...entries].sort((a, b) => when(b).localeCompare(when(a)));
  return sorted.find((e) => when(e) <= at) ?? sorted[0];
}

export function answeredUpdate(
  accountId: string,
  log: readonly AnyLogEntry[],
  message: CustomerMessage,
  isOpen: (incidentId: string) => boolean,
): AnyLogEntry | undefined {
  const told = log.filter((e) => e.accountId === accountId && reachedCustomer(e));
  const root =
    message.threadTs && message.threadTs !== message.ts
      ? told.find(
          (e) =>
            e.channel === 'slack' && e.recipient === message.channel && e.providerId === message.threadTs,
        )
      : undefined;
  if (root?.broadcastId !== undefined) return root;
  if (root) {
    const incidentId = root.incidentId;
    const thread = told.filter(
      (e) => e.broadcastId === undefined && e.incidentId === incidentId && e.channel === 'slack',
    );
    return newest(thread, message.at) ?? root;
  }
  const open = told.filter((e) => e.incidentId !== undefined && isOpen(e.incidentId));
  return newest(open, message.at);
}

/** A company send or a broadcast: the team watches the engagement channel for its replies. */
export const sentAsCompany = (entry: Pick<AnyLogEntry, 'asCompany' | 'broadcastId'>): boolean =>
  entry.asCompany === true || entry.broadcastId !== undefined;

/** Where the team watches for replies to a broadcast: its own channel if it named one, else the company's. */
export const engagementChannelOf = (
  roster: Pick<Roster, 'company'>,
  broadcast?: Pick<BroadcastRecord, 'engagementChannelId'>,
): string | undefined => broadcast?.engagementChannelId ?? roster.company.engagementChannelId;

export interface ReplyTargets {
  /** Person ids to DM: whoever sent the update answered (for a broadcast, who asked for it). */
  people: string[];
  /** The engagement channel, for a company send or a broadcast (when the company has one). */
  engagementChannelId?: string;
}

/**
 * Who is told of a reply: the update's sender — or the account's owner when the sender has left the
 * roster — and, for a company send or a broadcast, the engagement channel.
 */
export function replyTargets(
  roster: Roster,
  account: Pick<Account, 'ownerId'>,
  answered: AnyLogEntry,
  broadcast?: Pick<BroadcastRecord, 'engagementChannelId'>,
): ReplyTargets {
  const sender = roster.people.some((p) => p.id === answered.senderId) ? answered.senderId : account.ownerId;
  const engagement = sentAsCompany(answered) ? engagementChannelOf(roster, broadcast) : undefined;
  return { people: [sender], ...(engagement ? { engagementChannelId: engagement } : {}) };
}

/**
 * Who is told of a reply whose forward Slack refused for good (the person left Slack, the engagement
 * channel was archived): the first not in `skip` (whoever Slack refused, and whoever already has it) of
 * the incident's CMOC (none for a broadcast about no incident), the CMOC on duty, and the account's owner.
 * Undefined when nobody is left to tell.
 */
export function replyFallback(
  roster: Roster,
  account: Pick<Account, 'ownerId'>,
  skip: readonly string[],
  incident: { cmocId: string } | undefined,
  now: Date,
): string | undefined {
  let onDuty: string | undefined;
  try {
    onDuty = cmocAt(roster, now).person.id;
  } catch {
    // Everyone on every rota is on PTO: the owner is still someone to tell.
    onDuty = undefined;
  }
  return [incident?.cmocId, onDuty, account.ownerId].find(
    (id): id is string => id !== undefined && !skip.includes(id) && roster.people.some((p) => p.id === id),
  );
}
