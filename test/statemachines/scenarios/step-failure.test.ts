import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postInteraction, waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import type { StoredMessage } from '../../../local/slack/index.ts';
import {
  declare,
  incidentRecord,
  pagerDuty,
  postsTo,
  roundExecutions,
  roundsOf,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
  type Declared,
} from '../../support/scenarios.ts';
import { comms, pagerDutyEvent, postPagerDuty } from '../../support/requests.ts';
import {
  buttonsOf,
  dmsAbout,
  hasButton,
  noteTo,
  notesTo,
  press,
  pressOn,
  slackIdOf,
} from '../../support/slack.ts';
import { stateMachineArn } from '../../../local/stepfunctions/index.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A step that fails past its retries does not end the incident's comms: the CMOC is asked, in a DM naming
 * the step and the error, to try it again or stop comms, and the execution waits for the answer. The
 * faults are the local runtime's own (LAMBDA_FAULTS through world.faults): the real handlers fail.
 */
let world: World;

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 60 });
});
afterAll(async () => {
  world?.faults.clear();
  await world?.close();
});

/** The CMOC's DM about a failed step of `incident`, once it offers Try again; the newest such DM. */
function failureDmTo(personId: string, incident: Declared, step: string, after = 0): Promise<StoredMessage> {
  return waitFor(`a DM to ${personId} saying "${step}" failed`, () =>
    dmsAbout(world, incident, personId)
      .filter((m) => hasButton(m, 'recovery:retry') && (m.text ?? '').includes(step))
      .slice(after)
      .at(-1),
  );
}

const current = (dm: StoredMessage) =>
  world.slack.messages({ channel: dm.channel }).find((m) => m.ts === dm.ts)!;

describe('a delivery that keeps failing', () => {
  it('asks the CMOC; /comms resume asks again; only the CMOC may answer; Try again sends each update once', async () => {
    const incident = await declare(world, {
      incidentId: 'QFAIL001',
      severity: 'SEV2',
      scenario: 'failing',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await press(world, 'carla', incident, 'cmoc:start');
    // Every delivery attempt throws, before or after its handler ran (sent, answer lost).
    world.faults.set('deliver-update=1');
    await press(world, 'amy', incident, 'owner:send');

    const failed = await failureDmTo('carla', incident, "Send to the owner's accounts");
    expect(failed.text).toMatch(/round 1, Amy Tester's accounts/);
    expect(failed.text).toMatch(/Error: `(Error|Runtime\.ExitError)`/);
    expect(failed.text).not.toMatch(/States\.|arn:|\{/);
    // It waits: the incident and its round are still running, nothing was stopped.
    const [round] = await roundExecutions(world, incident.incidentId);
    expect((await world.engine.describeExecution({ executionArn: round! })).status).toBe('RUNNING');
    expect((await world.engine.describeExecution({ executionArn: incident.executionArn })).status).toBe(
      'RUNNING',
    );

    // Someone who is not the CMOC (here: pressing through a forged request) is refused; nothing changes.
    const value = buttonsOf(failed).find((b) => b.actionId === 'recovery:retry')?.value;
    expect(value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await postInteraction(world.runtime, {
      userId: slackIdOf(world, 'amy'),
      channel: failed.channel,
      messageTs: failed.ts,
      actionId: 'recovery:retry',
      value: String(value),
    });
    await waitFor('amy told only the CMOC can decide', () =>
      world.slack
        .messages({ user: slackIdOf(world, 'amy') })
        .find((m) => /Only the incident's CMOC \(Carla Tester\)/.test(m.text ?? '')),
    );
    expect(current(failed).edits).toBe(0);

    // `/comms resume` posts the same question to the CMOC again.
    const resumed = await comms(world, slackIdOf(world, 'carla'), `resume ${incident.incidentId}`);
    expect(resumed.reply).toMatch(/posted again to you/);
    const again = await failureDmTo('carla', incident, "Send to the owner's accounts", 1);
    expect(again.ts).not.toBe(failed.ts);

    // Fixed: Try again goes back to the delivery, which finishes what it started.
    world.faults.clear();
    await pressOn(world, again, 'recovery:retry', slackIdOf(world, 'carla'));
    await waitFor('the failure DM to say who tried again', () =>
      /pressed Try again/.test(JSON.stringify(current(again).blocks)) ? true : undefined,
    );
    await waitFor('the round to summarise for the CMOC', () =>
      statesEntered(world, round!).includes('Summarise the round for the CMOC') ? true : undefined,
    );
    // Some failed attempts had posted before they crashed (seeded, the same every run): still one post.
    expect(world.faults.counts()['deliver-update']?.['throw-after']).toBeGreaterThan(0);
    expect(postsTo(world, 'failing-co')).toHaveLength(1);
    // A second press on the other copy changes nothing.
    const before = notesTo(world, 'carla').length;
    await pressOn(world, failed, 'recovery:retry', slackIdOf(world, 'carla'));
    await noteTo(world, 'carla', /no longer waiting/, before);

    // The incident goes on to its resolution, and the customer hears each update once.
    await pagerDuty(world, 'incident.resolved', incident.incidentId);
    await press(world, 'amy', incident, 'owner:send');
    await world.engine.waitForStatus(incident.executionArn, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
    expect((await world.engine.describeExecution({ executionArn: incident.executionArn })).status).toBe(
      'SUCCEEDED',
    );
    const posts = postsTo(world, 'failing-co');
    expect(posts).toHaveLength(2);
    expect(new Set(posts.map((p) => p.text)).size).toBe(2);
  });
});

describe('a notice that keeps failing', () => {
  it('is left out: the CMOC is told which step and why, and the incident goes on without waiting', async () => {
    const incident = await declare(world, {
      incidentId: 'QLEFT001',
      severity: 'SEV2',
      scenario: 'leftout',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await press(world, 'carla', incident, 'cmoc:start');
    await press(world, 'amy', incident, 'owner:send');
    await waitFor('the first update in leftout-co', () => postsTo(world, 'leftout-co')[0]);
    world.faults.set('tell-owners=1');
    await pagerDuty(world, 'incident.priority_updated', incident.incidentId, { priority: { summary: 'P1' } });
    const told = await waitFor('the CMOC told the step was left out', () =>
      dmsAbout(world, incident, 'carla').find((m) => /was left out/.test(m.text ?? '')),
    );
    world.faults.clear();
    expect(told.text).toMatch(/\*Tell the owners the severity changed\*/);
    expect(told.text).toMatch(/Error: `(Error|Runtime\.ExitError)`/);
    expect(hasButton(told, 'recovery:retry')).toBe(false);
    // It went on to wait for the next update, as a failed notice always did.
    await waitFor('the incident to wait again after the step left out', () => {
      const states = statesEntered(world, incident.executionArn);
      const after = states.lastIndexOf('Go on after the step left out');
      return after >= 0 && states.slice(after).includes('Wait for the next update or an event')
        ? true
        : undefined;
    });
    expect((await world.engine.describeExecution({ executionArn: incident.executionArn })).status).toBe(
      'RUNNING',
    );
    await world.engine.stopExecution({ executionArn: incident.executionArn });
  });
});

describe('Stop comms', () => {
  it('ends the incident on purpose: the execution succeeds saying who stopped it, nothing goes out', async () => {
    world.faults.set('load-incident=1');
    const incident = await declare(world, {
      incidentId: 'QSTOP001',
      severity: 'SEV2',
      scenario: 'stopping',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    const failed = await failureDmTo('carla', incident, 'Load the incident');
    world.faults.clear();
    await pressOn(world, failed, 'recovery:stop', slackIdOf(world, 'carla'));
    await world.engine.waitForStatus(incident.executionArn, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
    const done = await world.engine.describeExecution({ executionArn: incident.executionArn });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({
      incidentId: incident.incidentId,
      stoppedBy: 'carla',
      step: 'Load the incident',
    });
    expect((await incidentRecord(incident.incidentId)).commsStopped).toMatchObject({ by: 'carla' });
    await waitFor('the DM to say comms were stopped', () =>
      /stopped this incident's comms/.test(JSON.stringify(current(failed).blocks)) ? true : undefined,
    );
    const resumed = await comms(world, slackIdOf(world, 'carla'), `resume ${incident.incidentId}`);
    expect(resumed.reply).toMatch(/were stopped by Carla Tester/);
    expect(postsTo(world, 'stopping-co')).toHaveLength(0);

    // Reopened in PagerDuty, the incident runs afresh: the stop was the last execution's.
    const asked = dmsAbout(world, incident, 'carla').filter((m) => hasButton(m, 'cmoc:start')).length;
    const reopened = await postPagerDuty(world, pagerDutyEvent('incident.reopened', incident.incidentId));
    expect(reopened.outcome).toMatchObject({ action: 'restarted-execution' });
    expect((await incidentRecord(incident.incidentId)).commsStopped).toBeUndefined();
    await waitFor(
      'the CMOC asked to confirm customer impact again',
      () => dmsAbout(world, incident, 'carla').filter((m) => hasButton(m, 'cmoc:start'))[asked],
    );
  });

  it('pressed on a step inside a round, ends the round and then the incident', async () => {
    const incident = await declare(world, {
      incidentId: 'QSTOP002',
      severity: 'SEV2',
      scenario: 'stopround',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    world.faults.set('draft-update=1');
    await press(world, 'carla', incident, 'cmoc:start');
    const failed = await failureDmTo('carla', incident, 'Draft the update');
    world.faults.clear();
    await pressOn(world, failed, 'recovery:stop', slackIdOf(world, 'carla'));
    await world.engine.waitForStatus(incident.executionArn, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
    const done = await world.engine.describeExecution({ executionArn: incident.executionArn });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({ stoppedBy: 'carla', step: 'Draft the update' });
    expect(statesEntered(world, incident.executionArn)).toContain('Did the round stop comms?');
    expect(postsTo(world, 'stopround-co')).toHaveLength(0);
  });
});

describe('a round started by an incident execution from before rounds had a key', () => {
  it('is keyed by its own execution name, as it was then', async () => {
    // An incident execution keeps the definition it started with; its rounds run on the new one.
    const incident = await declare(world, {
      incidentId: 'QLEGACY1',
      severity: 'SEV2',
      scenario: 'legacy',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    const { executionArn } = await world.engine.startExecution({
      stateMachineArn: stateMachineArn('update-round'),
      name: 'legacy-round-QLEGACY1',
      input: JSON.stringify({ incidentId: incident.incidentId, phase: 'initial', stage: 'active' }),
    });
    const [round] = await waitFor('the legacy round drafted', async () => {
      const rounds = await roundsOf(incident.incidentId);
      return rounds.length > 0 ? rounds : undefined;
    });
    expect(round?.roundKey).toBe('legacy-round-QLEGACY1');
    await world.engine.stopExecution({ executionArn });
    await world.engine.stopExecution({ executionArn: incident.executionArn });
  });
});
