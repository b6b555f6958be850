import { describe, expect, it } from 'vitest';
import { parseRoster } from '../../../lambdas/domain/index.ts';
import type { IncidentRecord } from '../../../lambdas/domain/records/incident.ts';
import type { Severity } from '../../../lambdas/contract/payloads.ts';
import { headsUpAt } from '../../../lambdas/domain/maintenance.ts';
import {
  afterRound,
  cmocNow,
  eventStep,
  nextHandoffAt,
  stageStep,
  startStep,
  writeUpTimetable,
  type ScheduleFacts,
} from '../../../lambdas/domain/schedule.ts';
import { writeUpLink } from '../../../lambdas/domain/write-up.ts';
import { scenarioRoster, WEDNESDAY } from '../../support/scenarios.ts';

/** The timetable rules, without a server: plain records in, next step out. */
const roster = parseRoster(scenarioRoster());
const T0 = WEDNESDAY.americasMorning;
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

function facts(fields: Partial<IncidentRecord> & { severity: Severity }, minutesNow: number): ScheduleFacts {
  const incident: IncidentRecord = {
    incidentId: 'QUNIT',
    title: 'Unit',
    status: 'triggered',
    services: ['svc-sends'],
    regions: [],
    source: 'slack',
    startedAt: T0,
    cmocId: 'carla',
    executionName: 'incident-QUNIT',
    rounds: 0,
    ...fields,
  };
  return { incident, roster, now: at(minutesNow) };
}

describe('before customer comms start', () => {
  it('SEV1 starts on its own 5 minutes after the CMOC was asked', () => {
    expect(startStep(facts({ severity: 'SEV1', commsAskedAt: T0 }, 0))).toEqual({
      stage: 'awaiting_cmoc',
      due: 'start',
      waitSeconds: 300,
      act: 'wait',
    });
  });

  it.each([
    [0, 15 * 60],
    [16, 29 * 60],
    [46, 59 * 60],
  ])(
    'SEV2 waits for the CMOC, reminding with back-off (at minute %i the next is in %i s)',
    (now, seconds) => {
      const step = stageStep(facts({ severity: 'SEV2', commsAskedAt: T0 }, now), 'awaiting_cmoc');
      expect(step).toMatchObject({ due: 'remind_cmoc', waitSeconds: seconds });
    },
  );

  it.each([
    ['the CMOC starts comms', { commsDecision: 'start' as const }, 'cmoc_update', 'start', 'active'],
    [
      'the CMOC says no customer impact',
      { commsDecision: 'no_impact' as const },
      'cmoc_update',
      'close',
      'closed',
    ],
    ['it resolves first', { status: 'resolved' as const }, 'resolved', 'close', 'closed'],
    ['engineering posts news', {}, 'engineering_update', 'engineering', 'awaiting_cmoc'],
  ] as const)('when %s', (_what, fields, type, act, stage) => {
    const step = eventStep(
      facts({ severity: 'SEV2', commsAskedAt: T0, ...fields }, 3),
      'awaiting_cmoc',
      type,
    );
    expect(step).toMatchObject({ act, stage });
  });

  it('a severity raised to SEV1 after its hold has passed starts comms at once', () => {
    const step = eventStep(
      facts({ severity: 'SEV1', commsAskedAt: T0 }, 12),
      'awaiting_cmoc',
      'severity_changed',
    );
    expect(step).toMatchObject({ act: 'start', due: 'start', waitSeconds: 1 });
  });

  it('planned maintenance skips the confirmation and waits for its first heads-up', () => {
    const step = startStep(
      facts(
        {
          severity: 'SEV4',
          services: ['svc-maintenance'],
          maintenance: {
            system: 'db',
            start: '2026-11-20T12:00:00Z',
            end: '2026-11-20T14:00:00Z',
            regions: [],
          },
        },
        0,
      ),
    );
    expect(step.stage).toBe('maintenance');
    expect(step.due).toBe('heads_up');
  });
});

describe('while updates go out', () => {
  it('the next update is due one cadence after the last round', () => {
    expect(stageStep(facts({ severity: 'SEV1', lastRoundAt: iso(0) }, 12), 'active')).toMatchObject({
      due: 'update',
      waitSeconds: 18 * 60,
    });
  });

  it('a CMOC asking for an update makes it due now', () => {
    const step = eventStep(
      facts({ severity: 'SEV1', lastRoundAt: iso(0), updateRequestedAt: iso(5) }, 5),
      'active',
      'cmoc_update',
    );
    expect(step).toMatchObject({ act: 'update', due: 'update', waitSeconds: 1 });
  });

  it.each([
    ['SEV2 raised to SEV1 40 minutes after the last round: due at once', 40, 1],
    ['SEV2 raised to SEV1 10 minutes after the last round: due at 30', 10, 20 * 60],
  ])('%s', (_what, minutes, seconds) => {
    const step = eventStep(
      facts({ severity: 'SEV1', lastRoundAt: iso(0) }, minutes),
      'active',
      'severity_changed',
    );
    expect(step).toMatchObject({ act: 'severity', due: 'update', waitSeconds: seconds });
  });

  it.each([
    ['SEV1, 15 minutes after the last update: an update now', 'SEV1', 15, 'update'],
    [
      'SEV1, 5 minutes after the last update: the CMOC is told, it rides with the next',
      'SEV1',
      5,
      'engineering',
    ],
    ['SEV3 (start and close only): the CMOC is told', 'SEV3', 90, 'engineering'],
  ] as const)("engineering's news: %s", (_what, severity, minutes, act) => {
    const step = eventStep(facts({ severity, lastRoundAt: iso(0) }, minutes), 'active', 'engineering_update');
    expect(step.act).toBe(act);
  });

  it('SEV3 schedules no update: the wait is for the CMOC handoff or a daily look', () => {
    const step = stageStep(facts({ severity: 'SEV3', lastRoundAt: iso(0) }, 1), 'active');
    expect(step.due).not.toBe('update');
  });

  it.each([
    ['SEV1', 'postmortem'],
    ['SEV2', 'closed'],
  ] as const)('after the %s resolution round the stage is %s', (severity, stage) => {
    expect(afterRound(facts({ severity }, 0), 'active', 'resolution').stage).toBe(stage);
  });
});

describe('the write-up', () => {
  it('is chased at 24 h and 40 h, overdue at 48 h and 72 h, given up after a week', () => {
    const hours = writeUpTimetable(0, 48).map((c) => [c.due, c.at / 3_600_000]);
    expect(hours).toEqual([
      ['remind_lead', 24],
      ['remind_lead', 40],
      ['writeup_overdue', 48],
      ['writeup_overdue', 72],
      ['writeup_given_up', 168],
    ]);
  });

  it('arrives with a status update naming it after the resolution', () => {
    const step = eventStep(
      facts(
        {
          severity: 'SEV1',
          status: 'resolved',
          resolvedAt: T0,
          engineeringUpdate: 'Postmortem: https://x.test/pm/1',
        },
        60,
      ),
      'postmortem',
      'engineering_update',
    );
    expect(step.act).toBe('writeup');
  });

  it.each([
    ['Postmortem published: https://status.test/pm/42.', 'https://status.test/pm/42'],
    ['Here it is https://docs.test/postmortems/42', 'https://docs.test/postmortems/42'],
    ['Dashboards back to normal: https://grafana.test/d/1', undefined],
    ['The write-up is in progress', undefined],
  ])('reads the link in %j', (text, link) => {
    expect(writeUpLink(text)).toBe(link);
  });
});

describe('maintenance heads-up', () => {
  it.each([
    ['America/New_York', '2026-11-17T15:00:00.000Z'],
    ['Asia/Tokyo', '2026-11-18T01:00:00.000Z'],
    ['UTC', '2026-11-18T10:00:00.000Z'],
  ])('for a customer in %s is the last 10:00 local at least 24 h before the window', (zone, expected) => {
    expect(new Date(headsUpAt(new Date('2026-11-19T12:00:00Z'), zone)).toISOString()).toBe(expected);
  });
});

describe('the CMOC handoff', () => {
  it("is due when the CMOC's working day ends; nobody takes over while no region is at work", () => {
    const end = nextHandoffAt(roster, 'carla', new Date('2026-11-18T22:15:00Z'));
    expect(new Date(end!).toISOString()).toBe('2026-11-18T22:30:00.000Z');
    expect(cmocNow(roster, 'carla', new Date(end!))).toBe('carla');
    const tokyo = nextHandoffAt(roster, 'carla', new Date(end!));
    expect(new Date(tokyo!).toISOString()).toBe('2026-11-19T00:00:00.000Z');
    expect(cmocNow(roster, 'carla', new Date(tokyo!))).toBe('pia');
  });
});
