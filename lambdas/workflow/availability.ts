import { backupFor, isAvailable } from '../core/index.ts';
import type { Person, Roster } from '../core/roster.ts';

/**
 * "Available?" for the people the workflow asks to send. Pure apart from the presence lookup, which the
 * caller passes in (Slack's users.getPresence in the Lambdas, a table in tests).
 */
export type Presence = 'active' | 'away' | 'unknown';
export type PresenceOf = (person: Person) => Promise<Presence>;

export interface SenderAvailability {
  available: boolean;
  /** Why not (or, when available off-hours, why anyway): said to the CMOC and shown in the backup's DM. */
  reason?: 'on PTO' | 'off-hours and away on Slack' | 'online on Slack outside working hours';
}

/**
 * An account owner is asked first when they can act now: never on PTO (nobody is asked on holiday);
 * inside their working hours; or outside them but active on Slack right now. An owner who is off-hours
 * and away goes straight to a regional backup instead of costing the customer an owner timeout.
 */
export async function ownerAvailability(
  roster: Roster,
  owner: Person,
  at: Date,
  presenceOf: PresenceOf,
): Promise<SenderAvailability> {
  const byClock = isAvailable(owner, at, roster);
  if (byClock.reason === 'pto') return { available: false, reason: 'on PTO' };
  if (byClock.available) return { available: true };
  // Off-hours: Slack decides. Presence is only asked for here, so a round of owners in working hours
  // makes no presence calls at all.
  return (await presenceOf(owner)) === 'active'
    ? { available: true, reason: 'online on Slack outside working hours' }
    : { available: false, reason: 'off-hours and away on Slack' };
}

/**
 * The regional backup to ask for `owner` now: the core's follow-the-sun order (owner's region in working
 * hours first, then other regions in working hours; never on PTO), preferring someone active on Slack.
 * If every backup on shift shows away, the first of them is still asked: being on shift is the promise.
 */
export async function chooseBackup(
  roster: Roster,
  owner: Person,
  at: Date,
  exclude: string[],
  presenceOf: PresenceOf,
): Promise<Person | undefined> {
  const skipped = [...exclude];
  let firstAway: Person | undefined;
  for (let i = 0; i < roster.people.length; i++) {
    const candidate = backupFor(roster, owner, at, skipped);
    if (!candidate) break;
    if ((await presenceOf(candidate)) !== 'away') return candidate;
    firstAway ??= candidate;
    skipped.push(candidate.id);
  }
  return firstAway;
}
