import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import { sentEmails } from '../../../local/ses.ts';
import {
  aboutAny,
  declare,
  type Declared,
  minutesBetween,
  postsTo,
  roundsDrafted,
  scenarioRoster,
  statesEntered,
} from '../../support/scenarios.ts';
import { expectAimed, incidentAims } from '../../support/aims.ts';
import { autoPress, dmsAbout } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * Planned maintenance (SEV4): a heads-up a day ahead at 10:00 in each customer's own time zone, and the
 * completion when the window ends. Time scale 3600: an hour is a second. Declared on Tuesday 09:00 in
 * New York for a window on Thursday 12:00–14:00 UTC:
 *   New York customer: Tuesday 10:00 EST = 15:00 UTC (the last 10:00 at least 24 h before the window)
 *   Tokyo customer:    Wednesday 10:00 JST = 01:00 UTC
 *   completion:        Thursday 14:00 UTC
 */
const SCALE = 3600;
const DECLARED = '2026-11-17T14:00:00.000Z';
const WINDOW = { start: '2026-11-19T12:00:00.000Z', end: '2026-11-19T14:00:00.000Z' };
let world: World;
let incident: Declared;
let stop = (): void => {};

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: SCALE });
  incident = await declare(world, {
    incidentId: 'QMAINT01',
    severity: 'SEV4',
    scenario: 'maintenance',
    at: DECLARED,
    cmocId: 'carla',
    maintenance: { system: 'the query cluster', ...WINDOW, regions: [] },
  });
  stop = autoPress(
    world,
    'owner:send',
    aboutAny(() => [incident]),
  );
});

afterAll(async () => {
  stop();
  await world?.close();
});

describe('planned maintenance', () => {
  it("sends each customer a heads-up at their own morning a day ahead, and the completion at the window's end", async () => {
    const done = await world.engine.waitForStatus(
      incident.executionArn,
      ['SUCCEEDED', 'FAILED'],
      WAIT_BOUND_MS,
    );
    expect(done.status).toBe('SUCCEEDED');
    const rounds = await roundsDrafted(incident.incidentId, 3);
    expect(rounds.map((r) => [r.phase, r.accountIds])).toEqual([
      ['maintenance-heads-up', ['mx-newyork']],
      ['maintenance-heads-up', ['mx-tokyo']],
      ['maintenance-complete', ['mx-newyork', 'mx-tokyo']],
    ]);
    // Each was aimed at its moment, and none went early (how late shows only the machine's speed: a
    // second here is an hour).
    const due = ['2026-11-17T15:00:00.000Z', '2026-11-18T01:00:00.000Z', WINDOW.end];
    const aims = await incidentAims(world, incident);
    expectAimed(aims, 'heads_up', due[0]!);
    expectAimed(aims, 'heads_up', due[1]!);
    expectAimed(aims, 'completion', WINDOW.end);
    rounds.forEach((round, i) => {
      const late = minutesBetween(due[i]!, round.draftedAt);
      expect(late, `${round.phase} ${round.accountIds.join()} at ${round.draftedAt}`).toBeGreaterThanOrEqual(
        0,
      );
    });
    // SEV4 goes by email first (policy channels: email, then Slack).
    for (const account of ['mx-newyork', 'mx-tokyo']) {
      const mail = await waitFor(`the heads-up and the completion mailed to ${account}`, async () => {
        const mine = (await sentEmails(world.runtime.sesUrl)).filter((m) =>
          m.destination.to.includes(`ops@${account}.example`),
        );
        return mine.length >= 2 ? mine : undefined;
      });
      expect(mail.map((m) => m.subject)).toEqual([
        'Maintenance – the query cluster',
        'Maintenance complete – the query cluster',
      ]);
      expect(mail[0]!.body.text).toMatch(/Heads up — maintenance on the query cluster/);
      expect(postsTo(world, account)).toHaveLength(0);
    }
    const entered = statesEntered(world, incident.executionArn);
    expect(entered).not.toContain('Ask the CMOC to confirm customer impact');
    expect(entered.filter((s) => s === 'Send the maintenance heads-up')).toHaveLength(2);
    expect(entered).toContain('Send the maintenance completion notice');
    expect(dmsAbout(world, incident, 'carla').some((m) => /Closed/.test(m.text ?? ''))).toBe(true);
  });
});
