import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import {
  aboutAny,
  declare,
  type Declared,
  incidentRecord,
  inputsOf,
  minutesBetween,
  pagerDuty,
  postsTo,
  roundsDrafted,
  roundsOf,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { autoPress, dmsAbout, press } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * When updates go out: the severity's cadence, a severity change, engineering's news, the resolution, and
 * a severity with no cadence at all. Time scale 300: an hour of incident time is 12 s. Owners answer at
 * once (an auto-presser), so rounds take seconds; times are read on each incident's own clock.
 */
const SCALE = 300;
let world: World;
const declared: Declared[] = [];
let stopPressing = (): void => {};

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: SCALE });
  stopPressing = autoPress(
    world,
    'owner:send',
    aboutAny(() => declared),
  );
});

afterAll(async () => {
  stopPressing();
  await world?.close();
});

async function started(spec: Parameters<typeof declare>[1]): Promise<Declared> {
  const incident = await declare(world, spec);
  declared.push(incident);
  await press(world, spec.cmocId, incident, 'cmoc:start');
  return incident;
}

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
    const gap = minutesBetween(first!.draftedAt, rounds[1]!.draftedAt);
    // Due 30 minutes after the first round, not 60: the SEV1 cadence applied from the moment of the change.
    expect(gap).toBeGreaterThanOrEqual(30);
    expect(gap).toBeLessThan(50);
    expect(rounds[1]!.phase).toBe('update');
    expect(statesEntered(world, incident.executionArn)).toContain('Tell the owners the severity changed');
  });

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
    // 17:15 in New York: Carla's day ends at 17:30; nobody is at work until Tokyo's morning (00:00 UTC).
    const incident = await started({
      incidentId: 'QHANDOFF',
      severity: 'SEV3',
      scenario: 'sends',
      at: '2026-11-18T22:15:00.000Z',
      cmocId: 'carla',
    });
    await roundsDrafted(incident.incidentId, 1);
    const handoff = await waitFor('the handoff DM to Pia', () =>
      dmsAbout(world, incident, 'pia').find((m) => /You're now CMOC/.test(m.text ?? '')),
    );
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
