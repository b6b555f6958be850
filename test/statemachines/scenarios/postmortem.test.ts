import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentNow } from '../../../lambdas/domain/records/incident.ts';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import type { StoredMessage } from '../../../local/slack/index.ts';
import {
  declare,
  type Declared,
  incidentRecord,
  pagerDuty,
  postsTo,
  roundExecutions,
  roundsDrafted,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { aimsIn, expectAimed } from '../../support/aims.ts';
import { dmsAbout } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A SEV1's write-up (handbook: "full write-up within 48 hours"): reminders to the engineering lead at 24 h
 * and 40 h, the follow-up to every affected customer when the link arrives, the CMOC alerted once 48 h
 * pass. Time scale 7200: a day is 12 s. Nobody answers the DMs, so every round goes out as the company.
 * When each reminder was due is read from what the follow-up aimed at (aims.ts): at this scale a busy
 * machine's second late is two hours of the incident's time, so when a DM landed shows only that it was
 * not early.
 */
const SCALE = 7200;
const HOUR = 3_600_000;
/**
 * The SEV1 cadence here is a week, so nothing but the resolution follows the first round: at the
 * handbook's half hour (a quarter of a second here) a slow machine would fill the time before the
 * resolution with rounds.
 */
const POLICY = { severities: { SEV1: { cadenceMinutes: 7 * 24 * 60, maxCadenceMinutes: 7 * 24 * 60 } } };
let world: World;

beforeAll(async () => {
  world = await startWorld({ roster: { ...scenarioRoster(), policy: POLICY }, timeScale: SCALE });
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
  // A SEV1 starts on its own after its hold (minutes: an instant here).
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

/**
 * To whoever is CMOC when the incident closes (no engineering lead is named): Carla, or the next region's
 * CMOC if the incident outlived her working day — on a busy machine it may, at this scale.
 */
const toTheCmoc = (incident: Declared, pattern: RegExp) =>
  dmsAbout(world, incident).filter((m) => pattern.test(m.text ?? ''));
const reminders = (incident: Declared) => toTheCmoc(incident, /For the engineering incident lead/);

describe('the write-up follow-up', () => {
  it('reminds the engineering lead a day after the resolution; when the link arrives, sends the write-up to every affected customer', async () => {
    const { incident, followUp } = await resolvedSev1('QWRITEUP', 'writeup');
    await waitFor('the resolution in the customer channel', () =>
      postsTo(world, 'writeup-co').find((m) => /resolved/i.test(m.text ?? '')),
    );
    const [first] = await waitFor('a reminder', () => {
      const sent = reminders(incident);
      return sent.length >= 1 ? sent : undefined;
    });
    expect(await hoursAfterResolution(incident.incidentId, first!)).toBeGreaterThanOrEqual(24);

    // A day before it would be overdue (12 s here): the link ends the follow-up.
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
    // The console's list says whose executions these are: the incident's rounds, numbered, and its write-up.
    expect(followUp.split(':').pop()).toBe('incident-QWRITEUP-write-up');
    const rounds = (await roundExecutions(world, incident.incidentId)).map((arn) => arn.split(':').pop());
    expect(rounds).toEqual([
      expect.stringMatching(/^incident-QWRITEUP-round-1-[0-9a-f]{8}$/),
      expect.stringMatching(/^incident-QWRITEUP-round-2-[0-9a-f]{8}$/),
      expect.stringMatching(/^incident-QWRITEUP-round-3-[0-9a-f]{8}$/),
    ]);
    expect(statesEntered(world, followUp)).toEqual(
      expect.arrayContaining([
        'Remind the engineering lead about the write-up',
        'Send the write-up to every affected customer',
        'Tell the CMOC the write-up went out',
      ]),
    );
    // Once the link is in, nobody hears it is overdue (were the machine so slow that 48 h passed before
    // it arrived, an alert before it would be right).
    expect(toTheCmoc(incident, /is overdue/).filter((m) => m.postedAt >= writeUp.postedAt)).toEqual([]);
  });

  it('reminds at 24 h and 40 h, and alerts the CMOC once 48 hours pass without the write-up', async () => {
    const { incident, followUp } = await resolvedSev1('QOVERDUE', 'overdue');
    const alert = await waitFor('the overdue alert', () => toTheCmoc(incident, /is overdue/)[0]);
    const record = await incidentRecord(incident.incidentId);
    const resolvedAt = Date.parse(record.resolvedAt!);
    const aims = await aimsIn(world, followUp, record);
    expectAimed(aims, 'remind_lead', resolvedAt + 24 * HOUR);
    expectAimed(aims, 'remind_lead', resolvedAt + 40 * HOUR);
    expectAimed(aims, 'writeup_overdue', resolvedAt + 48 * HOUR);
    expect(aims.slice(0, 3).map((a) => a.due)).toEqual(['remind_lead', 'remind_lead', 'writeup_overdue']);
    // Each DM after it was due, never before.
    const [first, second] = reminders(incident);
    expect(await hoursAfterResolution(incident.incidentId, first!)).toBeGreaterThanOrEqual(24);
    expect(await hoursAfterResolution(incident.incidentId, second!)).toBeGreaterThanOrEqual(40);
    expect(await hoursAfterResolution(incident.incidentId, alert)).toBeGreaterThanOrEqual(48);
    expect((await world.engine.describeExecution({ executionArn: followUp })).status).toBe('RUNNING');
  });
});
