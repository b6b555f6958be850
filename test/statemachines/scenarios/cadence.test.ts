import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import type {
  declare} from '../../support/scenarios.ts';
import {
  declareAndStart,
  type Declared,
  incidentRecord,
  inputsOf,
  minutesBetween,
  pagerDuty,
  pressAbout,
  postsTo,
  roundsDrafted,
  roundsOf,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { expectAimed, incidentAims } from '../../support/aims.ts';
import { dmsAbout } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * When updates go out on the clock: the severity's cadence, a severity change, a severity with no cadence
 * at all, the CMOC's working day. Time scale 300: an hour of incident time is 12 s. Owners answer at once
 * (an auto-presser), so rounds take seconds; times are read on each incident's own clock, and when
 * something was due is read from what the scheduler aimed at (aims.ts), which a busy machine cannot
 * shift. What events do without the clock is in event-driven.test.ts.
 */
const SCALE = 300;
const MINUTE = 60_000;
let world: World;
const declared: Declared[] = [];
let stopPressing = (): void => {};

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: SCALE });
  stopPressing = pressAbout(world, ['owner:send'], () => declared);
});

afterAll(async () => {
  stopPressing();
  await world?.close();
});

const started = (spec: Parameters<typeof declare>[1]) => declareAndStart(world, declared, spec);

const WAIT = 'Wait for the next update or an event';

describe('cadence', () => {
  it('SEV2 → SEV1 mid-incident: owners are told, and the next update is due on the 30-minute cadence at once', async () => {
    const incident = await started({
      incidentId: 'QCADENCE',
      severity: 'SEV2',
      scenario: 'cadence',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    const [first] = await roundsDrafted(incident.incidentId, 1);
    // Parked for the SEV2 hour before the change.
    await waitFor('the execution parked after the first round', async () =>
      (await inputsOf(world, incident.executionArn, WAIT)).length >= 2 ? true : undefined,
    );
    await pagerDuty(world, 'incident.priority_updated', incident.incidentId, { priority: { summary: 'P1' } });
    const told = await waitFor('amy told the severity changed', () =>
      dmsAbout(world, incident, 'amy').find((m) => /now SEV1/.test(m.text ?? '')),
    );
    expect(told.text).toMatch(/every 30 minutes/);
    const rounds = await roundsDrafted(incident.incidentId, 2);
    // Due 30 minutes after the first round, not 60: the SEV1 cadence applied from the moment of the change.
    const firstAt = Date.parse(first!.draftedAt);
    const aims = await incidentAims(world, incident);
    expectAimed(aims, 'update', firstAt + 60 * MINUTE);
    expectAimed(
      aims.filter((a) => a.state === 'Work out what the event changes'),
      'update',
      firstAt + 30 * MINUTE,
    );
    expect(minutesBetween(first!.draftedAt, rounds[1]!.draftedAt)).toBeGreaterThanOrEqual(30);
    expect(rounds[1]!.phase).toBe('update');
    expect(statesEntered(world, incident.executionArn)).toContain('Tell the owners the severity changed');
  });

  it('SEV3: an update at the start and at the close, nothing scheduled in between', async () => {
    const incident = await started({
      incidentId: 'QMINOR01',
      severity: 'SEV3',
      scenario: 'minor',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await roundsDrafted(incident.incidentId, 1);
    const waits = await waitFor('the execution parked after the first round', async () => {
      const inputs = await inputsOf(world, incident.executionArn, WAIT);
      return inputs.length >= 2 ? inputs : undefined;
    });
    const next = waits.at(-1)!.next as { due: string; waitSeconds: number };
    expect(next.due).not.toBe('update');
    expect(next.waitSeconds).toBeGreaterThan(3600);
    await pagerDuty(world, 'incident.resolved', incident.incidentId);
    await world.engine.waitForStatus(incident.executionArn, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
    expect((await roundsOf(incident.incidentId)).map((r) => r.phase)).toEqual(['initial', 'resolution']);
    const posts = postsTo(world, 'minor-co');
    expect(
      posts.map((m) =>
        /FYI/.test(m.text ?? '') ? 'start' : /back to normal/.test(m.text ?? '') ? 'close' : '?',
      ),
    ).toEqual(['start', 'close']);
  });
});

describe('regional CMOC handoff', () => {
  it("when the CMOC's day ends, the next region's CMOC takes over with the state of every account", async () => {
    // 16:00 in New York: Amy is asked well inside her day (an hour and a half: 18 s here, room for a busy
    // machine). Carla's day ends at 17:30, when the CMOC goes to the next region.
    const incident = await started({
      incidentId: 'QHANDOFF',
      severity: 'SEV3',
      scenario: 'sends',
      at: '2026-11-18T21:00:00.000Z',
      cmocId: 'carla',
    });
    await roundsDrafted(incident.incidentId, 1);
    const handoff = await waitFor('the handoff DM to Pia', () =>
      dmsAbout(world, incident, 'pia').find((m) => /You're now CMOC/.test(m.text ?? '')),
    );
    expectAimed(await incidentAims(world, incident), 'handoff', '2026-11-18T22:30:00.000Z');
    expect(handoff.text).toMatch(/notified by Amy Tester/);
    // Carla is told after Pia: wait for it rather than read the stand-in at the instant Pia's DM lands.
    await waitFor('the handed-over DM to Carla', () =>
      dmsAbout(world, incident, 'carla').find((m) => /Handed over to Pia/.test(m.text ?? '')),
    );
    await waitFor('the incident to name Pia as CMOC', async () =>
      (await incidentRecord(incident.incidentId)).cmocId === 'pia' ? true : undefined,
    );
    expect(statesEntered(world, incident.executionArn)).toContain("Hand over to the next region's CMOC");
  });
});
