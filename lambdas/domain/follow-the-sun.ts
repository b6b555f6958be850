import { CoverageError } from './errors.ts';
import type { Person, Region, RegionId, Roster, WorkingHours } from './roster.ts';
import { localTime, parseHhmm, previousWeekday, type LocalTime } from './zoned-time.ts';

export interface Availability {
  available: boolean;
  reason?: 'pto' | 'off-hours';
}

/** Used only when a person has no hours of their own and no roster is given to read their region's. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  start: '09:00',
  end: '17:00',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
};

/**
 * Whether a person can act now: not on PTO (dates inclusive, in their own time zone) and inside their
 * working hours in their own time zone. Hours are the person's, else their region's (pass the roster).
 */
export function isAvailable(person: Person, at: Date, roster?: Roster): Availability {
  const local = localTime(at, person.timeZone);
  if (person.pto.some((range) => range.from <= local.date && local.date <= range.to)) {
    return { available: false, reason: 'pto' };
  }
  const hours = person.workingHours ?? roster?.regions[person.region].workingHours ?? DEFAULT_WORKING_HOURS;
  return withinHours(hours, local) ? { available: true } : { available: false, reason: 'off-hours' };
}

export function isOnPto(person: Person, at: Date): boolean {
  return isAvailable(person, at).reason === 'pto';
}

/**
 * `start` > `end` is a shift across midnight (it belongs to the day it starts on);
 * `start` = `end` is the whole day.
 */
export function withinHours(hours: WorkingHours, local: LocalTime): boolean {
  const start = parseHhmm(hours.start);
  const end = parseHhmm(hours.end);
  const m = local.minuteOfDay;
  const today = hours.days.includes(local.weekday);
  if (start === end) return today;
  if (start < end) return today && m >= start && m < end;
  return (today && m >= start) || (hours.days.includes(previousWeekday(local.weekday)) && m < end);
}

export interface RegionClock {
  region: RegionId;
  inHours: boolean;
  /** In hours: minutes until the working day ends. Out of hours: clock distance to the working window. */
  minutes: number;
}

/**
 * Regions in the order they should take a role now: those in working hours first, the one with the most
 * working time left leading (fewer hand-offs); then the rest, closest to their working hours first.
 */
export function regionsByCoverage(roster: Roster, at: Date): RegionClock[] {
  const clocks = (Object.keys(roster.regions) as RegionId[]).map((id) =>
    regionClock(id, roster.regions[id], at),
  );
  const inHours = clocks.filter((c) => c.inHours).sort((a, b) => b.minutes - a.minutes);
  const offHours = clocks.filter((c) => !c.inHours).sort((a, b) => a.minutes - b.minutes);
  return [...inHours, ...offHours];
}

function regionClock(id: RegionId, region: Region, at: Date): RegionClock {
  const local = localTime(at, region.timeZone);
  const start = parseHhmm(region.workingHours.start);
  const end = parseHhmm(region.workingHours.end);
  const m = local.minuteOfDay;
  if (withinHours(region.workingHours, local)) {
    const left = start === end ? 1440 - m : (end - m + 1440) % 1440 || 1440;
    return { region: id, inHours: true, minutes: left };
  }
  const distance = (a: number, b: number) => Math.min(Math.abs(a - b), 1440 - Math.abs(a - b));
  return { region: id, inHours: false, minutes: Math.min(distance(m, start), distance(m, end)) };
}

export interface CmocChoice {
  person: Person;
  region: RegionId;
  /** False when no region had anyone available: the person chosen is off-hours and gets paged. */
  inHours: boolean;
  /** Whether the person is the one on duty this week (the rota turns every Monday, region time). */
  onDuty: boolean;
}

/**
 * The CMOC at a moment: the on-duty person of the region in working hours (others on that region's rota
 * in order if they are away), else the next region; when nobody anywhere is available, the first person
 * not on PTO in the region closest to its working hours. Throws CoverageError when everyone is on PTO.
 */
export function cmocAt(roster: Roster, at: Date): CmocChoice {
  const regions = regionsByCoverage(roster, at);
  const byId = new Map(roster.people.map((p) => [p.id, p]));
  const rota = (region: RegionId) => {
    const ids = roster.regions[region].cmoc;
    const start = weekIndex(at, roster.regions[region].timeZone) % ids.length;
    return [...ids.slice(start), ...ids.slice(0, start)].flatMap((id, i) => {
      const person = byId.get(id);
      return person ? [{ person, onDuty: i === 0 }] : [];
    });
  };
  for (const { region } of regions) {
    const found = rota(region).find(({ person }) => isAvailable(person, at, roster).available);
    if (found) return { ...found, region, inHours: true };
  }
  for (const { region } of regions) {
    const found = rota(region).find(({ person }) => !isOnPto(person, at));
    if (found) return { ...found, region, inHours: false };
  }
  throw new CoverageError(`Nobody on any CMOC rota is available at ${at.toISOString()}: all are on PTO`);
}

/**
 * A regional backup who can act now for `owner`: the first of `backupCandidates`.
 * Never the owner, never anyone in `exclude` (e.g. a backup who already timed out).
 */
export function backupFor(
  roster: Roster,
  owner: Person,
  at: Date,
  exclude: readonly string[] = [],
): Person | undefined {
  return backupCandidates(roster, owner, at, exclude)[0];
}

/**
 * Every regional backup on shift now for `owner`, in the order they should be asked: the owner's own
 * region first, then regions in working hours (most time left first), then any other backup who happens
 * to be within their own hours. Never the owner, never anyone in `exclude`, never anyone on PTO.
 */
export function backupCandidates(
  roster: Roster,
  owner: Person,
  at: Date,
  exclude: readonly string[] = [],
): Person[] {
  const skip = new Set([owner.id, ...exclude]);
  const byId = new Map(roster.people.map((p) => [p.id, p]));
  const clocks = regionsByCoverage(roster, at);
  const order = [
    ...clocks.filter((c) => c.inHours && c.region === owner.region),
    ...clocks.filter((c) => c.inHours && c.region !== owner.region),
    ...clocks.filter((c) => !c.inHours),
  ];
  const found: Person[] = [];
  for (const { region } of order) {
    for (const id of roster.regions[region].backups) {
      const person = byId.get(id);
      if (!person || skip.has(id) || !isAvailable(person, at, roster).available) continue;
      skip.add(id); // listed as a backup of two regions: asked once
      found.push(person);
    }
  }
  return found;
}

/** Weeks since the Monday before 1970-01-01 (a Thursday), counted on the zone's calendar. */
function weekIndex(at: Date, timeZone: string): number {
  const days = Math.floor(Date.parse(`${localTime(at, timeZone).date}T00:00:00Z`) / 86_400_000);
  return Math.floor((days + 3) / 7);
}
