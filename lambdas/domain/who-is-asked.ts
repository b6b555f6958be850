import { backupCandidates, isAvailable, type Availability } from './follow-the-sun.ts';
import type { Person, RegionId, Roster } from './roster.ts';

/**
 * Who is asked to send an owner's update, in order: the handbook's "owner ▸ regional backup ▸ CMOC",
 * decided once for the dry-run, the live ask and `/comms status`.
 *
 * The owner is asked first iff they are not on PTO and inside their working hours. Slack presence never
 * makes an off-hours owner available: "active" at midnight on a phone is not working, and the handbook
 * gives an owner offline by PTO, off-hours or time zone a regional backup. Presence only refines the
 * choice among the backups on shift: one who is not away is preferred; if every one shows away, the first
 * on shift is still asked, because being on shift is the promise.
 *
 * Looking presence up is I/O, so it is not done here: a caller that can (the live ask) looks up
 * `presenceWanted(input)` and passes the answers in; one that cannot (the dry-run) passes none, and every
 * backup counts as "unknown".
 */
export type Presence = 'active' | 'away' | 'unknown';

export interface WhoIsAskedInput {
  roster: Roster;
  owner: Person;
  /** When the first ask goes out. */
  at: Date;
  /** The incident's CMOC: the last step, and never asked as a backup as well. */
  cmoc: Person;
  /** Others never to ask as the backup (the owner and the CMOC never are). */
  exclude?: readonly string[];
  /** Slack presence by person id; anyone missing is "unknown". */
  presence?: ReadonlyMap<string, Presence>;
  /**
   * How long each step waits before the next, to put a time on every step (the dry-run). Omitted: every
   * step is worked out for `at` itself, which is how the live workflow runs each ask at its own moment.
   */
  timeouts?: { ownerMinutes: number; backupMinutes: number };
}

export type AskReason =
  | { role: 'owner'; why: 'in-hours' }
  | {
      role: 'backup';
      /** Covering an owner on PTO or off-hours from the start, or one asked first who did not send. */
      why: 'owner-on-pto' | 'owner-off-hours' | 'owner-did-not-send';
      region: RegionId;
      presence: Presence;
    }
  | { role: 'cmoc'; why: 'owner-did-not-send' | 'backup-did-not-send' | 'nobody-available' };

export interface AskStep {
  role: AskReason['role'];
  person: Person;
  at: Date;
  reason: AskReason;
}

export interface WhoIsAsked {
  /** The owner by the clock when the first ask goes out. */
  owner: Availability;
  /** Who is asked, in order, each if the one before has not sent in time; always ends with the CMOC. */
  steps: AskStep[];
}

const MINUTE = 60_000;

export function whoIsAsked(input: WhoIsAskedInput): WhoIsAsked {
  const { roster, owner, at, cmoc, presence, timeouts } = input;
  const availability = isAvailable(owner, at, roster);
  const steps: AskStep[] = [];
  let next = at;
  if (availability.available) {
    steps.push({ role: 'owner', person: owner, at, reason: { role: 'owner', why: 'in-hours' } });
    next = new Date(at.getTime() + (timeouts?.ownerMinutes ?? 0) * MINUTE);
  }
  const candidates = onShift(input, next);
  const seen = (p: Person): Presence => presence?.get(p.id) ?? 'unknown';
  const backup = candidates.find((p) => seen(p) !== 'away') ?? candidates[0];
  if (backup) {
    const why = availability.available
      ? 'owner-did-not-send'
      : availability.reason === 'pto'
        ? 'owner-on-pto'
        : 'owner-off-hours';
    steps.push({
      role: 'backup',
      person: backup,
      at: next,
      reason: { role: 'backup', why, region: backup.region, presence: seen(backup) },
    });
    next = new Date(next.getTime() + (timeouts?.backupMinutes ?? 0) * MINUTE);
  }
  const previous = steps.at(-1)?.role;
  steps.push({
    role: 'cmoc',
    person: cmoc,
    at: next,
    reason: {
      role: 'cmoc',
      why:
        previous === 'owner'
          ? 'owner-did-not-send'
          : previous === 'backup'
            ? 'backup-did-not-send'
            : 'nobody-available',
    },
  });
  return { owner: availability, steps };
}

/**
 * The people whose Slack presence would change the choice: the backups on shift when the backup is asked,
 * when there is more than one of them (with one, presence changes nothing and is not worth a lookup).
 */
export function presenceWanted(input: WhoIsAskedInput): Person[] {
  const { roster, owner, at, timeouts } = input;
  const ownerAsked = isAvailable(owner, at, roster).available;
  const backupAt = new Date(at.getTime() + (ownerAsked ? (timeouts?.ownerMinutes ?? 0) : 0) * MINUTE);
  const candidates = onShift(input, backupAt);
  return candidates.length > 1 ? candidates : [];
}

/** Why a backup covers an owner who was asked and did not answer in time (also the reason an ask predating it falls back to). */
export const DID_NOT_SEND = "didn't send it in time";

/** Why a backup is covering, as their DM says it: "…for Aki Tester, who <this>". */
export function coverReason(reason: AskReason): string {
  if (reason.role !== 'backup') return '';
  if (reason.why === 'owner-on-pto') return 'is on PTO';
  if (reason.why === 'owner-off-hours') return 'is off-hours';
  return DID_NOT_SEND;
}

function onShift({ roster, owner, cmoc, exclude = [] }: WhoIsAskedInput, at: Date): Person[] {
  return backupCandidates(roster, owner, at, [owner.id, cmoc.id, ...exclude]);
}
