import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CoverageError,
  REGIONS,
  backupFor,
  cmocAt,
  isAvailable,
  localTime,
  parseRoster,
  type Person,
  type RegionId,
  type Roster,
  type WorkingHours,
} from '../../lambdas/domain/index.ts';

/**
 * Weeks (7 × 1,440 minutes) around each 2026 daylight-saving change the rota meets, starting three days
 * before the change so it falls mid-week.
 */
const DST_CHANGES = {
  'US spring forward': '2026-03-08T07:00:00Z',
  'EU spring forward': '2026-03-29T01:00:00Z',
  'Australia/NZ fall back': '2026-04-05T16:00:00Z',
  'NZ spring forward': '2026-09-26T14:00:00Z',
  'Australia spring forward': '2026-10-03T16:00:00Z',
  'EU fall back': '2026-10-25T01:00:00Z',
  'US fall back': '2026-11-01T06:00:00Z',
} as const;
const WEEK_MINUTES = 7 * 24 * 60;
const weekStart = (change: string) => Date.parse(change) - 3 * 86_400_000;

/** Zones with DST north and south, half- and quarter-hour offsets, a 30-minute DST shift, and none at all. */
const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/Santiago',
  'Europe/London',
  'Europe/Berlin',
  'Africa/Cairo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const hhmm = fc
  .integer({ min: 0, max: 95 })
  .map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
const hours: fc.Arbitrary<WorkingHours> = fc.record({
  start: hhmm,
  end: hhmm, // end ≤ start is a shift across midnight (or the whole day)
  days: fc.subarray([...DAYS], { minLength: 1 }),
});
/** PTO ranges near the 2026 weeks under test, so some people are away for part of a week. */
const pto = fc.array(
  fc
    .record({
      month: fc.constantFrom(3, 4, 9, 10, 11),
      day: fc.integer({ min: 1, max: 28 }),
      length: fc.integer({ min: 0, max: 6 }),
    })
    .map(({ month, day, length }) => {
      const from = new Date(Date.UTC(2026, month - 1, day));
      const to = new Date(from.getTime() + length * 86_400_000);
      return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
    }),
  { maxLength: 2 },
);

const personArb = (region: RegionId, index: number): fc.Arbitrary<Person> =>
  fc
    .record({ timeZone: fc.constantFrom(...ZONES), own: fc.option(hours, { nil: undefined }), pto })
    .map(({ timeZone, own, pto: ranges }) => ({
      id: `${region}-${index}`,
      name: `${region} ${index}`,
      slackUserId: `U${region.toUpperCase()}${index}`,
      email: `${region}.${index}@example.test`,
      region,
      timeZone,
      ...(own ? { workingHours: own } : {}),
      pto: ranges,
    }));

const regionArb = (region: RegionId) =>
  fc
    .record({ size: fc.integer({ min: 1, max: 3 }), timeZone: fc.constantFrom(...ZONES), hours })
    .chain(({ size, timeZone, hours: regionHours }) =>
      fc.tuple(...Array.from({ length: size }, (_, i) => personArb(region, i))).chain((people) =>
        fc.record({
          people: fc.constant(people),
          backups: fc.shuffledSubarray(
            people.map((p) => p.id),
            { minLength: 1 },
          ),
          cmoc: fc.shuffledSubarray(
            people.map((p) => p.id),
            { minLength: 1 },
          ),
          timeZone: fc.constant(timeZone),
          workingHours: fc.constant(regionHours),
        }),
      ),
    );

const rosterArb: fc.Arbitrary<Roster> = fc.tuple(...REGIONS.map(regionArb)).map((built) => {
  const regions = Object.fromEntries(
    REGIONS.map((id, i) => {
      const { backups, cmoc, timeZone, workingHours } = built[i] ?? built[0]!;
      return [id, { backups, cmoc, timeZone, workingHours }];
    }),
  ) as Roster['regions'];
  const people = built.flatMap((r) => r.people);
  return parseRoster({
    company: { name: 'Example Analytics' },
    regions,
    people,
    accounts: [
      { id: 'acct', name: 'Acct', ownerId: people[0]?.id, services: ['query'], emails: ['a@example.test'] },
    ],
  });
});

/** The invariants, checked at one minute. Returns a description of the first broken one, or undefined. */
function brokenAt(roster: Roster, at: Date): string | undefined {
  const rota = REGIONS.flatMap((r) => roster.regions[r].cmoc).map(
    (id) => roster.people.find((p) => p.id === id) as Person,
  );
  const anyAvailable = rota.some((p) => isAvailable(p, at, roster).available);
  const anyNotOnPto = rota.some((p) => isAvailable(p, at, roster).reason !== 'pto');
  let choice: ReturnType<typeof cmocAt> | undefined;
  try {
    choice = cmocAt(roster, at);
  } catch (error) {
    if (!(error instanceof CoverageError)) throw error;
    if (anyNotOnPto) return `cmocAt threw although someone on a rota is not on PTO`;
  }
  if (choice) {
    if (!roster.regions[choice.region].cmoc.includes(choice.person.id))
      return `CMOC ${choice.person.id} is not on ${choice.region}'s rota`;
    const available = isAvailable(choice.person, at, roster);
    if (anyAvailable && !(choice.inHours && available.available))
      return `someone on a rota is available but ${choice.person.id} (${JSON.stringify(available)}) was chosen`;
    if (available.reason === 'pto') return `CMOC ${choice.person.id} is on PTO`;
  } else if (anyNotOnPto) return 'no CMOC chosen';

  const owner = roster.people[0] as Person;
  const backups = REGIONS.flatMap((r) => roster.regions[r].backups).filter((id) => id !== owner.id);
  const anyBackup = backups.some(
    (id) => isAvailable(roster.people.find((p) => p.id === id) as Person, at, roster).available,
  );
  const backup = backupFor(roster, owner, at);
  if (anyBackup && !backup) return 'a backup is available but none was chosen';
  if (
    backup &&
    (backup.id === owner.id || !backups.includes(backup.id) || !isAvailable(backup, at, roster).available)
  ) {
    return `backup ${backup.id} is the owner, not a backup, or not available`;
  }
  if (!anyBackup && backup) return `backup ${backup.id} chosen although no backup is available`;
  return undefined;
}

function everyMinute(roster: Roster, start: number): string | undefined {
  for (let minute = 0; minute < WEEK_MINUTES; minute++) {
    const at = new Date(start + minute * 60_000);
    const broken = brokenAt(roster, at);
    if (broken) return `${at.toISOString()}: ${broken}`;
  }
  return undefined;
}

describe('follow-the-sun, every minute of a week across daylight-saving changes', () => {
  it('random rosters: somebody is chosen whenever the rota covers the minute', () => {
    fc.assert(
      fc.property(rosterArb, fc.constantFrom(...Object.values(DST_CHANGES)), (roster, change) => {
        expect(everyMinute(roster, weekStart(change))).toBeUndefined();
      }),
      { numRuns: 12 },
    );
  });

  const example = parseRoster(JSON.parse(readFileSync('config/roster.example.json', 'utf8')));
  it.each(['US fall back', 'EU fall back'] as const)('the example roster, the week of the %s', (change) => {
    expect(everyMinute(example, weekStart(DST_CHANGES[change]))).toBeUndefined();
  });

  it('a 09:00–17:00 Monday–Friday person works exactly 40 hours in any DST week, in any zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...Object.values(DST_CHANGES)),
        (timeZone, changeIso) => {
          const person: Person = {
            id: 'p',
            name: 'P',
            slackUserId: 'UP1',
            email: 'p@example.test',
            region: 'emea',
            timeZone,
            workingHours: { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
            pto: [],
          };
          // Count over the zone's own Monday–Sunday around the change (a DST week is 167 or 169 hours long),
          // scanning nine UTC days from the day before so every local minute of it is seen.
          const change = Date.parse(changeIso);
          const local = localTime(new Date(change), timeZone);
          const monday =
            Date.parse(`${local.date}T00:00:00Z`) - ((DAYS.indexOf(local.weekday) + 7) % 7) * 86_400_000;
          const week = new Set(
            Array.from({ length: 7 }, (_, i) => new Date(monday + i * 86_400_000).toISOString().slice(0, 10)),
          );
          let minutes = 0;
          for (let m = 0; m < 9 * 24 * 60; m++) {
            const at = new Date(monday - 86_400_000 + m * 60_000);
            if (week.has(localTime(at, timeZone).date) && isAvailable(person, at).available) minutes++;
          }
          expect(minutes).toBe(40 * 60);
        },
      ),
      { numRuns: 20 },
    );
  });
});
