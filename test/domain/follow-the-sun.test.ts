import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CoverageError,
  backupFor,
  cmocAt,
  isAvailable,
  localTime,
  parseRoster,
  type Person,
  type Roster,
} from '../../lambdas/domain/index.ts';

const roster = parseRoster(JSON.parse(readFileSync('config/roster.example.json', 'utf8')));
const person = (id: string): Person => {
  const found = roster.people.find((p) => p.id === id);
  if (!found) throw new Error(`no person ${id} in the example roster`);
  return found;
};
const at = (iso: string) => new Date(iso);

describe('wall-clock time across daylight-saving changes', () => {
  it.each([
    ['2026-03-08T06:59:00Z', 'America/New_York', '2026-03-08', 'sun', 1 * 60 + 59], // 01:59 EST
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08', 'sun', 3 * 60], // 03:00 EDT: 02:xx never happens
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01', 'sun', 1 * 60 + 30], // 01:30 EDT
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01', 'sun', 1 * 60 + 30], // 01:30 EST, the second time
    ['2026-10-03T15:59:00Z', 'Australia/Sydney', '2026-10-04', 'sun', 1 * 60 + 59],
    ['2026-10-03T16:00:00Z', 'Australia/Sydney', '2026-10-04', 'sun', 3 * 60],
    ['2026-10-03T15:29:00Z', 'Australia/Lord_Howe', '2026-10-04', 'sun', 1 * 60 + 59], // a 30-minute change
    ['2026-10-03T15:30:00Z', 'Australia/Lord_Howe', '2026-10-04', 'sun', 2 * 60 + 30],
    ['2026-06-01T12:00:00Z', 'Asia/Kathmandu', '2026-06-01', 'mon', 17 * 60 + 45],
  ])('%s in %s is %s %s minute %i', (iso, zone, date, weekday, minute) => {
    expect(localTime(at(iso), zone)).toEqual({ date, weekday, minuteOfDay: minute });
  });
});

describe('isAvailable', () => {
  it.each([
    // Ada, New York, 09:00–17:30: 13:30 UTC is 08:30 before the US change and 09:30 after it.
    ['ada', '2026-03-06T13:30:00Z', { available: false, reason: 'off-hours' }],
    ['ada', '2026-03-09T13:30:00Z', { available: true }],
    // Tom, Berlin, 08:00–16:30: 06:30 UTC is 07:30 CET before the EU change, 08:30 CEST after.
    ['tom', '2026-03-27T06:30:00Z', { available: false, reason: 'off-hours' }],
    ['tom', '2026-03-30T06:30:00Z', { available: true }],
    // Liam, Sydney, 08:30–17:00: 21:45 UTC is 08:45 AEDT before the April change, 07:45 AEST after.
    ['liam', '2026-04-01T21:45:00Z', { available: true }],
    ['liam', '2026-04-07T21:45:00Z', { available: false, reason: 'off-hours' }],
    // Weekends are off.
    ['ada', '2026-11-07T15:00:00Z', { available: false, reason: 'off-hours' }],
    // PTO is whole days in the person's own zone, both ends included.
    ['lena', '2026-11-02T17:00:00Z', { available: false, reason: 'pto' }],
    ['lena', '2026-11-13T17:00:00Z', { available: false, reason: 'pto' }],
    ['lena', '2026-11-16T17:00:00Z', { available: true }],
    // 2026-11-14 00:30 UTC is still Fri 13 Nov in Los Angeles: on PTO, not merely off-hours.
    ['lena', '2026-11-14T00:30:00Z', { available: false, reason: 'pto' }],
  ] as const)('%s at %s', (id, iso, expected) => {
    expect(isAvailable(person(id), at(iso), roster)).toEqual(expected);
  });

  it('reads hours in the person’s zone; without their own hours, their region’s; without a roster, 09:00–17:00', () => {
    const { workingHours: _, ...noHours } = person('tom');
    const tom: Person = noHours; // emea region hours are 09:00–17:30 (read in Berlin time for Tom)
    expect(isAvailable(tom, at('2026-06-03T15:15:00Z'), roster)).toEqual({ available: true }); // 17:15 CEST
    expect(isAvailable(tom, at('2026-06-03T15:15:00Z'))).toEqual({ available: false, reason: 'off-hours' });
  });

  it('a shift across midnight belongs to the day it starts on', () => {
    const night: Person = { ...person('ada'), workingHours: { start: '22:00', end: '06:00', days: ['fri'] } };
    expect(isAvailable(night, at('2026-06-06T03:00:00Z')).available).toBe(true); // Fri 23:00 EDT
    expect(isAvailable(night, at('2026-06-06T09:00:00Z')).available).toBe(true); // Sat 05:00, Friday's shift
    expect(isAvailable(night, at('2026-06-07T03:00:00Z')).available).toBe(false); // Sat 23:00
  });
});

describe('cmocAt', () => {
  it('picks the on-duty CMOC of the region with the most working day left', () => {
    // Thu 5 Nov 15:10 UTC: London 15:10 and New York 10:10 are both working; New York has longer to go.
    const choice = cmocAt(roster, at('2026-11-05T15:10:00Z'));
    expect(choice).toMatchObject({ region: 'americas', inHours: true, onDuty: true });
    expect(roster.regions.americas.cmoc).toContain(choice.person.id);
  });

  it('turns the rota every Monday', () => {
    const thisWeek = cmocAt(roster, at('2026-11-05T15:10:00Z')).person.id;
    const nextWeek = cmocAt(roster, at('2026-11-12T15:10:00Z')).person.id;
    expect(new Set([thisWeek, nextWeek])).toEqual(new Set(roster.regions.americas.cmoc));
  });

  it('skips a CMOC on PTO for the next one on the rota', () => {
    const onDuty = cmocAt(roster, at('2026-11-05T15:10:00Z')).person.id;
    const away: Roster = {
      ...roster,
      people: roster.people.map((p) =>
        p.id === onDuty ? { ...p, pto: [{ from: '2026-11-05', to: '2026-11-05' }] } : p,
      ),
    };
    const choice = cmocAt(away, at('2026-11-05T15:10:00Z'));
    expect(choice.person.id).not.toBe(onDuty);
    expect(choice).toMatchObject({ region: 'americas', inHours: true, onDuty: false });
  });

  it('in the gap between regions, someone in their own hours is chosen; at the weekend, someone off-hours is paged', () => {
    // Wed 4 Nov 23:30 UTC: New York 18:30 (done), Sydney 10:30 Thu (working).
    expect(cmocAt(roster, at('2026-11-04T23:30:00Z'))).toMatchObject({ region: 'apac', inHours: true });
    const weekend = cmocAt(roster, at('2026-11-07T12:00:00Z'));
    expect(weekend.inHours).toBe(false);
  });

  it('throws CoverageError only when everyone on every rota is on PTO', () => {
    const allAway: Roster = {
      ...roster,
      people: roster.people.map((p) => ({ ...p, pto: [{ from: '2026-11-01', to: '2026-11-30' }] })),
    };
    expect(() => cmocAt(allAway, at('2026-11-05T15:10:00Z'))).toThrow(CoverageError);
  });
});

describe('backupFor', () => {
  it('prefers a backup in the owner’s own region, never the owner', () => {
    const backup = backupFor(roster, person('lena'), at('2026-11-05T17:00:00Z'));
    expect(backup?.region).toBe('americas');
    expect(backup?.id).not.toBe('lena');
  });

  it('covers an off-hours region from one in working hours', () => {
    const backup = backupFor(roster, person('kenji'), at('2026-11-05T15:10:00Z'));
    expect(backup).toBeDefined();
    expect(backup?.region).not.toBe('apac');
    expect(isAvailable(backup as Person, at('2026-11-05T15:10:00Z'), roster).available).toBe(true);
  });

  it('skips excluded people (a backup who timed out, the CMOC)', () => {
    const first = backupFor(roster, person('ada'), at('2026-11-05T15:10:00Z'));
    const second = backupFor(roster, person('ada'), at('2026-11-05T15:10:00Z'), [first?.id ?? '']);
    expect(second?.id).not.toBe(first?.id);
  });

  it('is undefined when no backup anywhere is working', () => {
    expect(backupFor(roster, person('ada'), at('2026-11-07T12:00:00Z'))).toBeUndefined();
  });
});
