import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planIncident, type IncidentFacts } from '../../../lambdas/domain/index.ts';
import { postSlackCommand, waitFor } from '../../../local/driver.ts';
import { declare, type Declared, scenarioRoster, serviceOf, WEDNESDAY } from '../../support/scenarios.ts';
import { dmsAbout, hasButton, press, slackIdOf } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * The dry-run and the live workflow answer "who is asked first?" alike: for the same roster and instant,
 * the first person `comms dry-run` plans to ask is the person the running workflow DMs, whatever Slack
 * says about the owner's presence.
 */
let world: World;

const CASES = [
  // 15:24 UTC: 00:24 in Tokyo, 10:24 in New York. Aki is on Slack at 00:24, which is not working.
  ['an owner off-hours but active on Slack', 'QSEAM001', 'away', '2026-11-18T15:24:00.000Z', 'active'],
  ['an owner in working hours but away on Slack', 'QSEAM002', 'sends', WEDNESDAY.americasMorning, 'away'],
  ['an owner at 22:00 their time, active on Slack', 'QSEAM003', 'silent', WEDNESDAY.apacNoon, 'active'],
] as const;
const OWNER = { away: 'aki', sends: 'amy', silent: 'amy' } as const;

const planned: Record<string, string> = {};

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 60 });
});

afterAll(async () => {
  await world?.close();
});

/** Everyone DM'd a draft to send for the incident. */
const askedAbout = (incident: Declared): string[] =>
  world.runtime.roster.people
    .filter((p) => dmsAbout(world, incident, p.id).some((m) => hasButton(m, 'owner:send')))
    .map((p) => p.id);

describe('dry-run and the live workflow ask the same person first', () => {
  // One case at a time: two of them set the same owner's presence.
  it.each(CASES)('%s (%s)', async (_what, incidentId, scenario, at, presence) => {
    world.slack.setPresence(slackIdOf(world, OWNER[scenario]), presence);
    // SEV3 has no hold window and no review: the owners are asked the moment the CMOC confirms, so the
    // dry-run's "drafts at" is the instant the live workflow asks.
    const facts: IncidentFacts = {
      id: incidentId,
      title: `Scenario ${incidentId}`,
      severity: 'SEV3',
      services: [serviceOf(scenario)],
      startedAt: at,
    };
    const plan = planIncident({
      roster: world.runtime.roster,
      incident: facts,
      phase: 'initial',
      at: new Date(at),
    });
    expect(plan.draftsAt.toISOString()).toBe(at);
    const first = plan.owners[0]!.steps[0]!.person.id;
    planned[incidentId] = first;

    const incident = await declare(world, {
      incidentId,
      severity: 'SEV3',
      scenario,
      at,
      cmocId: plan.cmoc.person.id,
    });
    await press(world, plan.cmoc.person.id, incident, 'cmoc:start');
    const asked = await waitFor(
      `a draft DM'd for ${incidentId}`,
      () => {
        const people = askedAbout(incident);
        return people.length > 0 ? people : undefined;
      },
      30_000,
    );
    // SEV3 waits 60 min (60 s here) before asking anyone else: the one asked so far is the first.
    expect(asked).toEqual([first]);

    // `/comms status` names the same person as the one the account waits for.
    const status = await postSlackCommand(world.runtime, slackIdOf(world, 'carla'), `status ${incidentId}`);
    const reply = String((JSON.parse(status.body) as { text?: unknown }).text);
    const who = world.runtime.roster.people.find((p) => p.id === first)!.name;
    const owner = world.runtime.roster.people.find((p) => p.id === OWNER[scenario])!.name;
    expect(reply).toContain(
      first === OWNER[scenario]
        ? `— waiting for ${who}`
        : `— waiting for ${who} (covering ${owner}, who is off-hours)`,
    );
  });

  it('an off-hours owner who is active on Slack is covered, not asked', () => {
    expect(planned).toEqual({ QSEAM001: 'andre', QSEAM002: 'amy', QSEAM003: 'ben' });
  });
});
