import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import type {
  declare} from '../../support/scenarios.ts';
import {
  declareAndStart,
  type Declared,
  inputsOf,
  minutesBetween,
  pagerDuty,
  pressAbout,
  postsTo,
  roundsDrafted,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { dmsAbout, press } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * What events do between updates, without the clock: engineering's news and the resolution. The clock runs
 * at real time (scale 1), so nothing on it falls due while a test runs — the SEV1 half hour, the "too
 * soon after the last update" third of it — however slow the machine: each outcome here follows from the
 * event alone. The CMOC and the owners answer at once (auto-pressers). The cadence itself is in cadence.test.ts.
 */
let world: World;
const declared: Declared[] = [];
let stopPressing = (): void => {};

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 1 });
  // On a real-time clock nobody's time runs out: the CMOC approves each draft the policy puts before
  // them, and the owners send it.
  stopPressing = pressAbout(world, ['cmoc:approve', 'owner:send'], () => declared);
});

afterAll(async () => {
  stopPressing();
  await world?.close();
});

const started = (spec: Parameters<typeof declare>[1]) => declareAndStart(world, declared, spec);

const WAIT = 'Wait for the next update or an event';

describe('events between updates', () => {
  it("engineering's news reaches the next draft, and the CMOC can send it at once", async () => {
    const incident = await started({
      incidentId: 'QENGINEER',
      severity: 'SEV1',
      scenario: 'engineering',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await roundsDrafted(incident.incidentId, 1);
    const news = 'Root cause identified (Redis queue saturation). Fix in progress.';
    // Right after the first update: too soon for another, so it goes to the CMOC with a button.
    await pagerDuty(world, 'incident.status_update_published', incident.incidentId, { message: news });
    await press(world, 'carla', incident, 'cmoc:send_now');
    const rounds = await roundsDrafted(incident.incidentId, 2);
    expect(rounds[1]!.phase).toBe('update');
    expect(minutesBetween(rounds[0]!.draftedAt, rounds[1]!.draftedAt)).toBeLessThan(30);
    const post = await waitFor('the update with the news in the customer channel', () =>
      postsTo(world, 'engineering-co').find((m) => (m.text ?? '').includes('Redis queue saturation')),
    );
    expect(post.text).toMatch(/Quick update/);
    const ownerDm = dmsAbout(world, incident, 'amy').find((m) => /scheduled update/.test(m.text ?? ''));
    expect(JSON.stringify(ownerDm?.blocks)).toContain('Redis queue saturation');
  });

  it('resolved ends the wait at once: the resolution goes out long before the next update was due', async () => {
    const incident = await started({
      incidentId: 'QINTERRUPT',
      severity: 'SEV2',
      scenario: 'interrupt',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    const [first] = await roundsDrafted(incident.incidentId, 1);
    await waitFor('the execution parked after the first round', async () =>
      (await inputsOf(world, incident.executionArn, WAIT)).length >= 2 ? true : undefined,
    );
    await pagerDuty(world, 'incident.resolved', incident.incidentId);
    const rounds = await roundsDrafted(incident.incidentId, 2);
    expect(rounds[1]!.phase).toBe('resolution');
    expect(minutesBetween(first!.draftedAt, rounds[1]!.draftedAt)).toBeLessThan(30);
    await waitFor('the resolution in the customer channel', () =>
      postsTo(world, 'interrupt-co').find((m) => /back to normal/.test(m.text ?? '')),
    );
    const done = await world.engine.waitForStatus(
      incident.executionArn,
      ['SUCCEEDED', 'FAILED'],
      WAIT_BOUND_MS,
    );
    expect(done.status).toBe('SUCCEEDED');
    const entered = statesEntered(world, incident.executionArn);
    expect(entered).not.toContain('Send the scheduled update');
    expect(entered.slice(-4)).toEqual([
      'Send the resolution update',
      'Is a write-up promised?',
      'Tell the CMOC the incident is closed',
      'Incident closed',
    ]);
    const history = await world.engine.history(incident.executionArn);
    expect(history.filter((e) => e.type === 'TaskTimedOut')).toHaveLength(0);
  });
});
