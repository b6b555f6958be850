import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentNow } from '../../../lambdas/domain/records/incident.ts';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import type { StoredMessage } from '../../../local/slack/index.ts';
import {
  declare,
  type Declared,
  incidentRecord,
  inputsOf,
  pagerDuty,
  postsTo,
  roundsDrafted,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { dmsAbout, press } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A SEV1's write-up (handbook: "full write-up within 48 hours"): reminders to the engineering lead at 24 h
 * and 40 h, the follow-up to every affected customer when the link arrives, the CMOC alerted once 48 h
 * pass. Time scale 7200: a day is 12 s. Nobody answers the DMs, so every round goes out as the company.
 */
const SCALE = 7200;
const HOUR = 3_600_000;
let world: World;

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: SCALE });
});

afterAll(async () => {
  await world?.close();
});

/** A SEV1 from declaration to resolution; returns the write-up follow-up's execution. */
async function resolvedSev1(
  incidentId: string,
  scenario: 'writeup' | 'overdue',
): Promise<{ incident: Declared; followUp: string }> {
  const incident = await declare(world, {
    incidentId,
    severity: 'SEV1',
    scenario,
    at: WEDNESDAY.americasMorning,
    cmocId: 'carla',
  });
  await press(world, 'carla', incident, 'cmoc:start');
  await roundsDrafted(incidentId, 1);
  await pagerDuty(world, 'incident.resolved', incidentId);
  await world.engine.waitForStatus(incident.executionArn, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
  const machine = world.runtime.incidentStateMachineArn.replace(/:incident$/, ':postmortem');
  const followUp = await waitFor(`the write-up follow-up of ${incidentId}`, async () => {
    for (const item of await world.engine.listExecutions({ stateMachineArn: machine })) {
      const described = await world.engine.describeExecution({ executionArn: item.executionArn });
      if (described.input.includes(incidentId)) return item.executionArn;
    }
    return undefined;
  });
  return { incident, followUp };
}

/** Hours after the resolution, on the incident's clock, that a DM was posted. */
async function hoursAfterResolution(incidentId: string, message: StoredMessage): Promise<number> {
  const record = await incidentRecord(incidentId);
  return (incidentNow(record, message.postedAt.getTime()).getTime() - Date.parse(record.resolvedAt!)) / HOUR;
}

const reminders = (incident: Declared) =>
  dmsAbout(world, incident, 'carla').filter((m) => /For the engineering incident lead/.test(m.text ?? ''));

describe('the write-up follow-up', () => {
  it('reminds at 24 h and 40 h, then sends the write-up to every affected customer when the link arrives', async () => {
    const { incident, followUp } = await resolvedSev1('QWRITEUP', 'writeup');
    await waitFor('the resolution in the customer channel', () =>
      postsTo(world, 'writeup-co').find((m) => /resolved/i.test(m.text ?? '')),
    );
    const [first, second] = await waitFor(
      'two reminders',
      () => {
        const sent = reminders(incident);
        return sent.length >= 2 ? sent : undefined;
      },
      45_000,
    );
    const at = [
      await hoursAfterResolution(incident.incidentId, first!),
      await hoursAfterResolution(incident.incidentId, second!),
    ];
    expect(at[0]).toBeGreaterThanOrEqual(24);
    expect(at[0]).toBeLessThan(28);
    expect(at[1]).toBeGreaterThanOrEqual(40);
    expect(at[1]).toBeLessThan(44);
    expect(reminders(incident)).toHaveLength(2);

    const link = 'https://status.example.test/postmortems/QWRITEUP';
    await pagerDuty(world, 'incident.status_update_published', incident.incidentId, {
      message: `Postmortem published: ${link}`,
    });
    const writeUp = await waitFor('the write-up in the customer channel', () =>
      postsTo(world, 'writeup-co').find((m) => (m.text ?? '').includes(link)),
    );
    expect(writeUp.text).toMatch(/write-up/);
    expect((await world.engine.waitForStatus(followUp, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS)).status).toBe(
      'SUCCEEDED',
    );
    expect(statesEntered(world, followUp)).toEqual(
      expect.arrayContaining([
        'Remind the engineering lead about the write-up',
        'Send the write-up to every affected customer',
        'Tell the CMOC the write-up went out',
      ]),
    );
    expect(dmsAbout(world, incident, 'carla').some((m) => /is overdue/.test(m.text ?? ''))).toBe(false);
  });

  it('alerts the CMOC once 48 hours pass without the write-up', async () => {
    const { incident, followUp } = await resolvedSev1('QOVERDUE', 'overdue');
    const alert = await waitFor('the overdue alert', () =>
      dmsAbout(world, incident, 'carla').find((m) => /is overdue/.test(m.text ?? '')),
    );
    const at = await hoursAfterResolution(incident.incidentId, alert);
    expect(at).toBeGreaterThanOrEqual(48);
    expect(at).toBeLessThan(52);
    expect((await world.engine.describeExecution({ executionArn: followUp })).status).toBe('RUNNING');
    const dues = (await inputsOf(world, followUp, 'Wait for the write-up link')).map(
      (i) => (i.next as { due: string }).due,
    );
    expect(dues.slice(0, 3)).toEqual(['remind_lead', 'remind_lead', 'writeup_overdue']);
  });
});
