import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagerDutyEvent, postPagerDuty, waitFor } from '../../../local/driver.ts';
import {
  aboutAny,
  declare,
  type Declared,
  incidentRecord,
  inputsOf,
  minutesBetween,
  pagerDuty,
  roundExecutions,
  roundsDrafted,
  scenarioRoster,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { expectAimed, incidentAims } from '../../support/aims.ts';
import { autoPress, press } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A company's severity policy, set in its roster (`policy`), is what the running workflow follows: a SEV2
 * cadence of 20 minutes instead of the handbook's 60 (with shorter owner and backup time-outs, which the
 * shorter cadence requires), and its own PagerDuty priority names. Time scale 300: an hour is 12 s.
 */
const SCALE = 300;
const POLICY = {
  severities: { SEV2: { cadenceMinutes: 20, ownerTimeoutMinutes: 10, backupTimeoutMinutes: 5 } },
  pagerduty: { priorities: { 'Sev-A': 'SEV1', 'Sev-D': 'SEV4' } },
} as const;
const WAIT = 'Wait for the next update or an event';

let world: World;
const declared: Declared[] = [];
let stopPressing = (): void => {};

beforeAll(async () => {
  world = await startWorld({ roster: { ...scenarioRoster(), policy: POLICY }, timeScale: SCALE });
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

describe("the roster's policy at run time", () => {
  it('SEV2 with a 20-minute cadence: the next update is scheduled 20 minutes on, and owners get 10 minutes', async () => {
    const incident = await declare(world, {
      incidentId: 'QPOLICY20',
      severity: 'SEV2',
      scenario: 'cadence',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    declared.push(incident);
    await press(world, 'carla', incident, 'cmoc:start');
    const [first] = await roundsDrafted(incident.incidentId, 1);
    const waits = await waitFor('the execution parked after the first round', async () => {
      const inputs = await inputsOf(world, incident.executionArn, WAIT);
      return inputs.length >= 2 ? inputs : undefined;
    });
    const next = waits.at(-1)!.next as { due: string; waitSeconds: number };
    expect(next.due).toBe('update');
    // The handbook's SEV2 hour would leave well over 20 minutes to wait here.
    expect(next.waitSeconds).toBeLessThanOrEqual(20 * 60);

    const [roundArn] = await roundExecutions(world, incident.incidentId);
    const asked = await inputsOf(world, roundArn!, 'Ask each group of owners');
    expect(asked[0]).toMatchObject({ ownerTimeoutSeconds: 10 * 60, backupTimeoutSeconds: 5 * 60 });

    const rounds = await roundsDrafted(incident.incidentId, 2);
    expectAimed(await incidentAims(world, incident), 'update', Date.parse(first!.draftedAt) + 20 * 60_000);
    expect(minutesBetween(first!.draftedAt, rounds[1]!.draftedAt)).toBeGreaterThanOrEqual(20);
    expect(rounds[1]!.phase).toBe('update');
  });

  it("PagerDuty priorities named in the policy decide the severity: 'Sev-A' → SEV1, then 'Sev-D' → SEV4", async () => {
    const incidentId = 'QPOLICYPD1';
    // Low urgency without a known priority would be SEV3; the company's name for the priority wins.
    const envelope = await pagerDutyEvent('triggered', incidentId, {
      priority: { id: 'PPRIOA', type: 'priority_reference', summary: 'Sev-A' },
      urgency: 'low',
    });
    const answer = await postPagerDuty(world.runtime, envelope);
    expect(answer.status, answer.body).toBe(202);
    expect((await incidentRecord(incidentId)).severity).toBe('SEV1');

    await pagerDuty(world, 'incident.priority_updated', incidentId, {
      priority: { id: 'PPRIOD', type: 'priority_reference', summary: 'sev-d' },
      urgency: 'low',
    });
    await waitFor('the incident recorded as SEV4', async () =>
      (await incidentRecord(incidentId)).severity === 'SEV4' ? true : undefined,
    );
  });
});
