import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonValue, postInteraction, waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import type { StoredMessage } from '../../../local/slack/index.ts';
import {
  declare,
  type Declared,
  postsTo,
  roundExecutions,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { dmsAbout, hasButton, notesTo, press, slackIdOf } from '../../support/slack.ts';
import { CORRECT_BUTTON, targetOf } from '../../../lambdas/messages/correct-modal.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * Who is asked to send, and what happens when they don't: owner ▸ regional backup by the clock ▸ the
 * CMOC's fallback. At time scale 60 a SEV1's 10-minute owner and backup windows take 10 s each; every
 * scenario runs at once in one runtime, each on its own accounts and its own incident clock.
 */
let world: World;
const incidents: Record<string, Declared> = {};
/** What each scenario's people do, started at once so nobody misses a 10-second window. */
const scripts: Record<string, Promise<unknown>> = {};
const name = (personId: string) => world.runtime.roster.people.find((p) => p.id === personId)!.name;

const SPECS = [
  [
    'sends',
    {
      incidentId: 'QSENDS01',
      severity: 'SEV1',
      scenario: 'sends',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    },
  ],
  [
    'silentApac',
    { incidentId: 'QSILENT1', severity: 'SEV1', scenario: 'silent', at: WEDNESDAY.apacNoon, cmocId: 'pia' },
  ],
  [
    'silentEmea',
    {
      incidentId: 'QSILENT2',
      severity: 'SEV1',
      scenario: 'silent',
      at: WEDNESDAY.emeaMorning,
      cmocId: 'eve',
    },
  ],
  [
    'silentAmericas',
    {
      incidentId: 'QSILENT3',
      severity: 'SEV1',
      scenario: 'silent',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    },
  ],
  [
    'pto',
    {
      incidentId: 'QPTO0001',
      severity: 'SEV1',
      scenario: 'pto',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    },
  ],
  [
    'away',
    {
      incidentId: 'QAWAY001',
      severity: 'SEV1',
      scenario: 'away',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    },
  ],
  [
    'fallback1',
    {
      incidentId: 'QFALL001',
      severity: 'SEV1',
      scenario: 'fallback1',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    },
  ],
  [
    'fallback2',
    {
      incidentId: 'QFALL002',
      severity: 'SEV2',
      scenario: 'fallback2',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    },
  ],
  [
    'clicks',
    {
      incidentId: 'QCLICK01',
      severity: 'SEV1',
      scenario: 'clicks',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    },
  ],
] as const;

/** A stale client replaying a press on a message whose buttons are gone. */
async function replay(personId: string, dm: StoredMessage, actionId: string) {
  const value = new RegExp(`"action_id":"${actionId}"[^}]*?"value":"([^"]+)"`).exec(
    JSON.stringify(dm.blocks),
  )?.[1];
  return postInteraction(world.runtime, {
    userId: slackIdOf(world, personId),
    channel: dm.channel,
    messageTs: dm.ts,
    actionId,
    value: value ?? '',
  });
}

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 60 });
  // Aki (Tokyo) is off-hours on an Americas morning, and away on Slack. Amy is active on Slack at any
  // hour, which never makes her available outside her working hours.
  world.slack.setPresence(slackIdOf(world, 'aki'), 'away');
  world.slack.setPresence(slackIdOf(world, 'amy'), 'active');
  for (const [key, spec] of SPECS) incidents[key] = await declare(world, spec);
  // Each CMOC confirms customer impact at once (a SEV1 would also start on its own after 5 minutes).
  const confirmed = await Promise.all(
    SPECS.map(([key, spec]) => press(world, spec.cmocId, incidents[key]!, 'cmoc:start')),
  );
  const i = incidents as Record<(typeof SPECS)[number][0], Declared>;
  scripts.sends = press(world, 'amy', i.sends, 'owner:send');
  scripts.silentApac = press(world, 'ben', i.silentApac, 'owner:send');
  scripts.silentAmericas = (async () => {
    // Amy is in working hours, so she is asked first; she answers only after the backup was asked.
    const mine = await waitFor('a DM to amy', () => dmsAbout(world, i.silentAmericas, 'amy')[0]);
    const backup = await press(world, 'andre', i.silentAmericas, 'owner:send');
    // Her DM lost its buttons when the backup was asked: only a client still showing them can press.
    const late = await replay('amy', mine, 'owner:send');
    return { backup, late };
  })();
  scripts.silentEmea = press(world, 'erin', i.silentEmea, 'owner:send');
  scripts.pto = press(world, 'andre', i.pto, 'owner:send');
  scripts.away = press(world, 'andre', i.away, 'owner:send');
  scripts.clicks = (async () => {
    const dm = await press(world, 'amy', i.clicks, 'owner:send');
    await waitFor('the clicks post', () => postsTo(world, 'clicks-co')[0]);
    const again = await replay('amy', dm, 'owner:send');
    const cmocDm = confirmed[SPECS.findIndex(([key]) => key === 'clicks')]!;
    const cmocAgain = await replay('carla', cmocDm, 'cmoc:start');
    const stranger = await replay('erin', dm, 'owner:send');
    return { again, cmocAgain, stranger };
  })();
});

afterAll(async () => {
  await world?.close();
});

/** The first round's child execution of an incident, once it has run past `state`. */
async function firstRound(incident: Declared, state: string): Promise<string[]> {
  return waitFor(
    `the first round of ${incident.incidentId} to reach "${state}"`,
    async () => {
      const [round] = await roundExecutions(world, incident.incidentId);
      const states = round ? statesEntered(world, round) : [];
      return states.includes(state) ? states : undefined;
    },
    45_000,
  );
}

const postBy = (accountId: string, personId: string) =>
  waitFor(`a post in ${accountId} signed by ${personId}`, () =>
    postsTo(world, accountId).find((m) => m.username === name(personId)),
  );

describe('who sends', () => {
  it('the owner sends: the CMOC confirms, the owner gets the draft and one press posts it, signed by them', async () => {
    const incident = incidents.sends!;
    const confirm = dmsAbout(world, incident, 'carla')[0]!;
    expect(confirm.text).toMatch(/Is there customer impact/);
    // Pressed: the buttons gave way to who decided what.
    expect(JSON.stringify(confirm.blocks)).toContain('started customer comms');
    expect(hasButton(confirm, 'cmoc:start')).toBe(false);
    await scripts.sends;
    const post = await postBy('sends-co', 'amy');
    expect(post.text).toMatch(/investigating/i);
    // One post per press (later rounds, which nobody answers here, go out as the company).
    expect(postsTo(world, 'sends-co').filter((m) => m.username === name('amy'))).toHaveLength(1);
    const states = await firstRound(incident, "Send to the owner's accounts");
    expect(states).not.toContain('Ask the regional backup to send');
    expect(statesEntered(world, incident.executionArn)).toEqual(
      expect.arrayContaining([
        'Ask the CMOC to confirm customer impact',
        'Work out what the event changes',
        'Send the initial update',
      ]),
    );
  });

  it.each([
    ['silentApac', 'ben', 'APAC at work at 03:00 UTC'],
    ['silentEmea', 'erin', 'EMEA at work at 10:00 UTC'],
  ] as const)(
    'an owner off-hours is not asked, even active on Slack: the regional backup on shift is, at once (%s → %s, %s)',
    async (key, backup, _why) => {
      const incident = incidents[key]!;
      await scripts[key];
      expect(dmsAbout(world, incident, 'amy')).toHaveLength(0);
      const dm = dmsAbout(world, incident, backup)[0]!;
      expect(dm.text).toContain(name('amy'));
      expect(dm.text).toMatch(/is off-hours/);
      const post = await postBy('silent-co', backup);
      expect(post.text).toContain(name(backup).split(' ')[0]);
      for (const other of ['ben', 'erin', 'andre'].filter((p) => p !== backup)) {
        expect(dmsAbout(world, incident, other)).toHaveLength(0);
      }
      const states = await firstRound(incident, "Send to the owner's accounts");
      expect(states).toContain('Ask the regional backup to send');
      const [round] = await roundExecutions(world, incident.incidentId);
      expect((await world.engine.history(round!)).some((e) => e.type === 'TaskTimedOut')).toBe(false);
    },
  );

  it('a silent owner in working hours goes to the regional backup on shift after the owner time-out', async () => {
    const incident = incidents.silentAmericas!;
    await scripts.silentAmericas;
    expect(dmsAbout(world, incident, 'amy').length).toBeGreaterThanOrEqual(1);
    const dm = dmsAbout(world, incident, 'andre')[0]!;
    expect(dm.text).toContain(name('amy'));
    expect(dm.text).toMatch(/didn't send it in time/);
    await postBy('silent-co', 'andre');
    for (const other of ['ben', 'erin']) expect(dmsAbout(world, incident, other)).toHaveLength(0);
    const states = await firstRound(incident, "Send to the owner's accounts");
    expect(states.slice(0, 5)).toEqual([
      'Draft the update',
      'Does the CMOC review this draft?',
      'Ask each group of owners',
      'Ask each account owner in the group',
      'Ask the account owner to send',
    ]);
    expect(states).toContain('Ask the regional backup to send');
  });

  it('an owner on PTO is not asked: their regional backup is, straight away', async () => {
    const incident = incidents.pto!;
    const dm = (await scripts.pto) as StoredMessage;
    expect(dm.text).toMatch(/PTO/);
    expect(dm.text).toContain(name('olga'));
    await postBy('pto-co', 'andre');
    expect(dmsAbout(world, incident, 'olga')).toHaveLength(0);
    const [round] = await roundExecutions(world, incident.incidentId);
    const history = await world.engine.history(round!);
    // The owner's ask ended at once with "unavailable", not by timing out.
    expect(history.some((e) => e.type === 'TaskTimedOut')).toBe(false);
  });

  it('an owner off-hours and away on Slack is not asked either', async () => {
    const incident = incidents.away!;
    const dm = (await scripts.away) as StoredMessage;
    expect(dm.text).toMatch(/is off-hours/);
    await postBy('away-co', 'andre');
    expect(dmsAbout(world, incident, 'aki')).toHaveLength(0);
  });
});

describe('when nobody sends', () => {
  it('SEV1: the update goes out as the company, signed by the CMOC, and the CMOC is told', async () => {
    const incident = incidents.fallback1!;
    await waitFor('a DM to the backup', () => dmsAbout(world, incident, 'andre')[0]);
    const post = await waitFor('a post in fallback1-co as the company', () =>
      postsTo(world, 'fallback1-co').find((m) => m.username === world.runtime.roster.company.name),
    );
    expect(post.text).toContain(name('carla'));
    const told = await waitFor('the CMOC told it went out as the company', () =>
      dmsAbout(world, incident, 'carla').find((m) => /as the company/.test(m.text ?? '')),
    );
    expect(told.text).toContain(name('olga'));
    // It offers to correct what went out, and the button names that very send.
    const correct = JSON.stringify(told.blocks ?? []);
    expect(correct).toContain(CORRECT_BUTTON);
    const target = targetOf(buttonValue(told, CORRECT_BUTTON));
    expect(target).toEqual({ incidentId: incident.incidentId, round: 1, senderId: 'carla' });
    const { sentUpdate } = await import('../../../lambdas/services/corrections.ts');
    const update = await sentUpdate(target!);
    expect(typeof update === 'string' ? update : update.entries.map((e) => e.accountId)).toContain(
      'fallback1-co',
    );
    const states = await firstRound(incident, 'Tell the CMOC it was sent as the company');
    expect(states).toEqual(
      expect.arrayContaining([
        'Ask the regional backup to send',
        'Is a company send allowed?',
        'Send as the company',
      ]),
    );
  });

  it('SEV2: nothing goes out as the company; the CMOC is alerted to send it or assign someone', async () => {
    const incident = incidents.fallback2!;
    const alert = await waitFor('the CMOC alerted that nobody sent', () =>
      dmsAbout(world, incident, 'carla').find((m) => /Nobody sent/.test(m.text ?? '')),
    );
    expect(alert.text).toContain(name('olga'));
    expect(postsTo(world, 'fallback2-co')).toHaveLength(0);
    const states = await firstRound(incident, 'Tell the CMOC nobody could send');
    expect(states).not.toContain('Send as the company');
  });
});

describe('presses that change nothing', () => {
  it('a second press, the CMOC confirming twice, and a press by someone else are refused and send nothing twice', async () => {
    const { again, cmocAgain, stranger } = (await scripts.clicks) as Record<string, { status: number }>;
    expect([again!.status, cmocAgain!.status, stranger!.status]).toEqual([200, 200, 200]);
    await waitFor('amy told it was already handled', () =>
      notesTo(world, 'amy').find((m) => /Already handled/.test(m.text ?? '')),
    );
    await waitFor('the CMOC told it was already handled', () =>
      notesTo(world, 'carla').find((m) => /Already handled/.test(m.text ?? '')),
    );
    // Erin cannot see Amy's DM, so she is told in a DM of her own.
    await waitFor('erin told whose request it is', () =>
      world.slack.messages({ user: slackIdOf(world, 'erin') }).find((m) => /assigned to/i.test(m.text ?? '')),
    );
    expect(postsTo(world, 'clicks-co').filter((m) => m.username === name('amy'))).toHaveLength(1);
  });

  it("a late press on an ask that already went to the backup is refused: the owner's DM sends nothing", async () => {
    const { late } = (await scripts.silentAmericas) as { late: { status: number } };
    expect(late.status).toBe(200);
    await waitFor('amy told it was too late', () =>
      notesTo(world, 'amy').find((m) => /Too late|expired/.test(m.text ?? '')),
    );
    expect(postsTo(world, 'silent-co').filter((m) => m.username === name('amy'))).toHaveLength(0);
  });
});

describe('the CMOC decides there is no customer impact', () => {
  it('closes the incident without a word to customers or owners', async () => {
    const incident = await declare(world, {
      incidentId: 'QNOIMPACT',
      severity: 'SEV2',
      scenario: 'minor',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await press(world, 'carla', incident, 'cmoc:no_impact');
    const done = await world.engine.waitForStatus(
      incident.executionArn,
      ['SUCCEEDED', 'FAILED'],
      WAIT_BOUND_MS,
    );
    expect(done.status).toBe('SUCCEEDED');
    await waitFor('the CMOC told it closed', () =>
      dmsAbout(world, incident, 'carla').find((m) => /Closed without customer comms/.test(m.text ?? '')),
    );
    expect(dmsAbout(world, incident, 'amy')).toHaveLength(0);
    expect(postsTo(world, 'minor-co')).toHaveLength(0);
    expect(await roundExecutions(world, incident.incidentId)).toHaveLength(0);
  });
});
