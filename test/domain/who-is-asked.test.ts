import { describe, expect, it } from 'vitest';
import {
  coverReason,
  parseRoster,
  presenceWanted,
  whoIsAsked,
  type Presence,
  type Roster,
  type RosterInput,
} from '../../lambdas/domain/index.ts';

/** One owner, backup and CMOC per region, all 09:00–17:30 on weekdays; Olga is on PTO. */
function rosterWith(changes: (input: RosterInput) => void = () => undefined): Roster {
  const hours = { start: '09:00', end: '17:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const };
  const region = (timeZone: string, backups: string[], cmoc: string[]) => ({
    timeZone,
    workingHours: { ...hours, days: [...hours.days] },
    backups,
    cmoc,
  });
  const zones = { americas: 'America/New_York', emea: 'Europe/London', apac: 'Asia/Tokyo' } as const;
  const person = (id: string, where: keyof typeof zones) => ({
    id,
    name: `${id.charAt(0).toUpperCase()}${id.slice(1)}`,
    slackUserId: `U0${id.toUpperCase()}`,
    email: `${id}@example.test`,
    region: where,
    timeZone: zones[where],
    pto: id === 'olga' ? [{ from: '2026-11-01', to: '2026-12-31' }] : [],
  });
  const input: RosterInput = {
    company: { name: 'Table Analytics' },
    regions: {
      americas: region(zones.americas, ['andre'], ['carla']),
      emea: region(zones.emea, ['erin'], ['eve']),
      apac: region(zones.apac, ['ben'], ['pia']),
    },
    people: [
      ...['amy', 'olga', 'andre', 'carla'].map((id) => person(id, 'americas')),
      ...['erin', 'eve'].map((id) => person(id, 'emea')),
      ...['aki', 'ben', 'pia'].map((id) => person(id, 'apac')),
    ],
    accounts: ['amy', 'olga', 'aki', 'andre'].map((ownerId) => ({
      id: `${ownerId}-co`,
      name: `${ownerId} Co`,
      ownerId,
      services: ['api'],
      slackChannelId: `C0${ownerId.toUpperCase()}`,
      emails: [`ops@${ownerId}.example`],
    })),
  };
  changes(input);
  return parseRoster(input);
}

/** Wednesday 18 November 2026. */
const AMERICAS_MORNING = '2026-11-18T15:00:00Z'; // 10:00 New York, 15:00 London, 00:00 Tokyo
const APAC_NOON = '2026-11-18T03:00:00Z'; // 22:00 New York, 03:00 London, 12:00 Tokyo
const NOBODY_AT_WORK = '2026-11-18T22:45:00Z'; // 17:45 New York, 22:45 London, 07:45 Tokyo

const roster = rosterWith();
const person = (r: Roster, id: string) => r.people.find((p) => p.id === id)!;
const CMOC_FOR: Record<string, string> = {
  [AMERICAS_MORNING]: 'carla',
  [APAC_NOON]: 'pia',
  [NOBODY_AT_WORK]: 'carla',
};

function asked(
  ownerId: string,
  at: string,
  options: { roster?: Roster; cmocId?: string; presence?: Record<string, Presence>; exclude?: string[] } = {},
) {
  const r = options.roster ?? roster;
  return whoIsAsked({
    roster: r,
    owner: person(r, ownerId),
    at: new Date(at),
    cmoc: person(r, options.cmocId ?? CMOC_FOR[at]!),
    ...(options.presence ? { presence: new Map(Object.entries(options.presence)) } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
  });
}
const steps = (result: ReturnType<typeof asked>) =>
  result.steps.map((s) => `${s.role}:${s.person.id}:${s.reason.why}`);

describe('whoIsAsked: owner ▸ regional backup ▸ CMOC', () => {
  it.each([
    [
      'in working hours: the owner first',
      'amy',
      AMERICAS_MORNING,
      { amy: 'away' },
      ['owner:amy:in-hours', 'backup:andre:owner-did-not-send', 'cmoc:carla:backup-did-not-send'],
    ],
    [
      'on PTO, even when active on Slack: the backup first',
      'olga',
      AMERICAS_MORNING,
      { olga: 'active' },
      ['backup:andre:owner-on-pto', 'cmoc:carla:backup-did-not-send'],
    ],
    [
      'off-hours but active on Slack: not asked, the backup on shift is',
      'amy',
      APAC_NOON,
      { amy: 'active' },
      ['backup:ben:owner-off-hours', 'cmoc:pia:backup-did-not-send'],
    ],
    [
      'off-hours and away: not asked either',
      'amy',
      APAC_NOON,
      { amy: 'away' },
      ['backup:ben:owner-off-hours', 'cmoc:pia:backup-did-not-send'],
    ],
    [
      'at 00:00 in Tokyo and active: covered from a region at work',
      'aki',
      AMERICAS_MORNING,
      { aki: 'active' },
      ['backup:andre:owner-off-hours', 'cmoc:carla:backup-did-not-send'],
    ],
    [
      'off-hours with no backup on shift anywhere: straight to the CMOC',
      'amy',
      NOBODY_AT_WORK,
      {},
      ['cmoc:carla:nobody-available'],
    ],
  ] as const)('%s', (_what, ownerId, at, presence, expected) => {
    expect(steps(asked(ownerId, at, { presence }))).toEqual(expected);
  });

  it.each([
    [
      'an owner who is also a backup is not their own backup',
      rosterWith((r) => (r.regions.americas.backups = ['amy', 'andre'])),
      'amy',
      'carla',
      ['owner:amy:in-hours', 'backup:andre:owner-did-not-send', 'cmoc:carla:backup-did-not-send'],
    ],
    [
      'the incident’s CMOC who is also a backup is not asked twice',
      rosterWith((r) => (r.regions.americas.backups = ['carla', 'andre'])),
      'olga',
      'carla',
      ['backup:andre:owner-on-pto', 'cmoc:carla:backup-did-not-send'],
    ],
    [
      'the only backup of the owner’s region being the CMOC: another region’s backup',
      roster,
      'olga',
      'andre',
      ['backup:erin:owner-on-pto', 'cmoc:andre:backup-did-not-send'],
    ],
  ] as const)('%s', (_what, r, ownerId, cmocId, expected) => {
    expect(steps(asked(ownerId, AMERICAS_MORNING, { roster: r, cmocId }))).toEqual(expected);
  });

  it('excludes anyone else it is told to; with nobody left, the CMOC follows the owner', () => {
    expect(steps(asked('olga', AMERICAS_MORNING, { exclude: ['andre'] }))[0]).toBe(
      'backup:erin:owner-on-pto',
    );
    expect(steps(asked('amy', AMERICAS_MORNING, { exclude: ['andre', 'erin'] }))).toEqual([
      'owner:amy:in-hours',
      'cmoc:carla:owner-did-not-send',
    ]);
  });

  it.each([
    ['nobody looked (the dry-run)', undefined, 'andre'],
    ['everyone on shift active', { andre: 'active', erin: 'active' }, 'andre'],
    ['the first on shift away', { andre: 'away', erin: 'active' }, 'erin'],
    ['the first away, the next unknown', { andre: 'away' }, 'erin'],
    ['every one on shift away: still the first on shift', { andre: 'away', erin: 'away' }, 'andre'],
  ] as const)('presence picks among the backups on shift: %s → %s', (_what, presence, backup) => {
    const result = asked('aki', AMERICAS_MORNING, presence ? { presence } : {});
    expect(result.steps[0]?.person.id).toBe(backup);
    expect(result.steps[0]?.reason).toMatchObject({
      role: 'backup',
      presence: (presence as Record<string, Presence> | undefined)?.[backup] ?? 'unknown',
    });
  });

  it('presence is wanted only for the backups on shift, and only when there is a choice', () => {
    const base = { roster, cmoc: person(roster, 'carla') };
    const at = new Date(AMERICAS_MORNING);
    expect(presenceWanted({ ...base, owner: person(roster, 'aki'), at }).map((p) => p.id)).toEqual([
      'andre',
      'erin',
    ]);
    // At 03:00 UTC only APAC is at work: one backup, nothing to choose.
    const apac = { roster, cmoc: person(roster, 'pia'), owner: person(roster, 'amy') };
    expect(presenceWanted({ ...apac, at: new Date(APAC_NOON) })).toEqual([]);
  });

  it('with time-outs, each step is timed after the one before', () => {
    const result = whoIsAsked({
      roster,
      owner: person(roster, 'amy'),
      at: new Date(AMERICAS_MORNING),
      cmoc: person(roster, 'carla'),
      timeouts: { ownerMinutes: 10, backupMinutes: 15 },
    });
    expect(result.owner).toEqual({ available: true });
    expect(result.steps.map((s) => s.at.toISOString().slice(11, 16))).toEqual(['15:00', '15:10', '15:25']);
  });

  it.each([
    ['olga', AMERICAS_MORNING, 'is on PTO'],
    ['amy', APAC_NOON, 'is off-hours'],
    ['amy', AMERICAS_MORNING, "didn't send it in time"],
  ] as const)('the backup is told why they cover %s: %s', (ownerId, at, why) => {
    const backup = asked(ownerId, at).steps.find((s) => s.role === 'backup')!;
    expect(coverReason(backup.reason)).toBe(why);
  });
});
