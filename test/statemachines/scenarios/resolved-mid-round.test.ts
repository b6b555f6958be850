import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postInteraction, waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import type { StoredMessage } from '../../../local/slack/index.ts';
import {
  declare,
  type Declared,
  incidentRecord,
  pagerDuty,
  postsTo,
  roundExecutions,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { buttonValue, dmsAbout, hasButton, notesTo, slackIdOf } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A SEV1 update that nobody sends: the owner's time runs out, then the backup's. Every DM whose ask ended
 * loses its buttons and says who has it now, and a late press is told the same. When the incident resolves
 * in between, the "we're investigating" update must not go out as the company after (or beside) "it's
 * fixed": the resolution goes out instead. At time scale 60 the owner's and the backup's 10-minute windows
 * take 10 s each; both incidents run at once, each on its own account.
 */
let world: World;
let silent: Declared;
let resolving: Declared;
const name = (personId: string) => world.runtime.roster.people.find((p) => p.id === personId)!.name;
const shown = (m: StoredMessage) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;
/** The DM as it is now (the stand-in hands out snapshots). */
const current = (dm: StoredMessage) =>
  world.slack.messages({ channel: dm.channel }).find((m) => m.ts === dm.ts)!;
const askOf = (personId: string, incident: Declared) =>
  waitFor(`${personId}'s ask about ${incident.incidentId}`, () =>
    dmsAbout(world, incident, personId).find((m) => hasButton(m, 'owner:send')),
  );
const edited = (dm: StoredMessage, what: RegExp) =>
  waitFor(`the DM to say ${String(what)}`, () => {
    const now = current(dm);
    return what.test(shown(now)) ? now : undefined;
  });

async function start(incidentId: string, scenario: 'silent' | 'interrupt'): Promise<Declared> {
  const incident = await declare(world, {
    incidentId,
    severity: 'SEV1',
    scenario,
    // 10:00 in New York: Amy (the owner) and Andre (her region's backup) are both at work.
    at: WEDNESDAY.americasMorning,
    cmocId: 'carla',
  });
  const confirm = await waitFor(`the CMOC asked to confirm impact of ${incidentId}`, () =>
    dmsAbout(world, incident, 'carla').find((m) => hasButton(m, 'cmoc:start')),
  );
  await world.slack.press({
    channel: confirm.channel,
    ts: confirm.ts,
    actionId: 'cmoc:start',
    userId: slackIdOf(world, 'carla'),
  });
  return incident;
}

/** What happens in each incident, started at once so nothing misses a 10-second window. */
let silentScript: Promise<{ ownerDm: StoredMessage; closed: StoredMessage; told: StoredMessage }>;
let resolvingScript: Promise<{ ownerDm: StoredMessage; backupDm: StoredMessage }>;

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 60 });
  [silent, resolving] = await Promise.all([start('QRESMID01', 'silent'), start('QRESMID02', 'interrupt')]);
  silentScript = (async () => {
    const ownerDm = await askOf('amy', silent);
    await askOf('andre', silent);
    const closed = await edited(ownerDm, /Time's up/);
    // A press from a client that still shows the old buttons, while the backup has it.
    const late = await postInteraction(world.runtime, {
      userId: slackIdOf(world, 'amy'),
      channel: ownerDm.channel,
      messageTs: ownerDm.ts,
      actionId: 'owner:send',
      value: buttonValue(ownerDm, 'owner:send')!,
    });
    if (late.status !== 200) throw new Error(`the late press answered ${late.status}`);
    const told = await waitFor('the owner told who has it', () =>
      notesTo(world, 'amy').find((m) => /Too late/.test(m.text ?? '')),
    );
    return { ownerDm, closed, told };
  })();
  resolvingScript = (async () => {
    const ownerDm = await askOf('amy', resolving);
    // The incident resolves while the backup's ask is open.
    const backupDm = await askOf('andre', resolving);
    await pagerDuty(world, 'incident.resolved', resolving.incidentId);
    return { ownerDm, backupDm };
  })();
  // Neither rejects unnoticed: each test awaits its own.
  silentScript.catch(() => undefined);
  resolvingScript.catch(() => undefined);
});
afterAll(async () => {
  await world?.close();
});

describe('an ask nobody answers', () => {
  it("when the owner's time is up, her DM loses its buttons and names the backup who has it", async () => {
    const { closed, told } = await silentScript;
    expect(hasButton(closed, 'owner:send')).toBe(false);
    expect(shown(closed)).not.toMatch(/Please answer by/);
    expect(shown(closed)).toContain(
      `Time's up — ${name('andre')} (Americas backup) has been asked to send it`,
    );
    // Still the same DM about the same incident, with the draft.
    expect(closed.text).toContain(silent.title);
    expect(shown(closed)).toMatch(/investigating/i);
    // The late press is told who really has it.
    expect(told.text).toContain(`${name('andre')} (Americas backup) has been asked to send it`);
    expect(told.text).not.toMatch(/the CMOC has taken it over/);
  });

  it("when the backup's time is up too, it goes out as the company and both DMs say so", async () => {
    const { ownerDm } = await silentScript;
    const backupDm = await askOf('andre', silent);
    await waitFor('the company post', () => postsTo(world, 'silent-co')[0]);
    for (const dm of [ownerDm, backupDm]) {
      const now = await edited(dm, /sent as the company/);
      expect(hasButton(now, 'owner:send')).toBe(false);
      expect(shown(now)).toContain(`it was sent as the company, signed by ${name('carla')} (CMOC)`);
    }
  });
});

describe('the incident resolves while the backup is asked', () => {
  it('the out-of-date update never reaches the customer; the resolution does', async () => {
    const { ownerDm, backupDm } = await resolvingScript;
    await waitFor('the incident to be resolved', async () =>
      (await incidentRecord(resolving.incidentId)).status === 'resolved' ? true : undefined,
    );
    // The backup stays silent too: their time runs out with the incident resolved.
    const [first] = await roundExecutions(world, resolving.incidentId);
    const done = await world.engine.waitForStatus(first!, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
    expect(done.status).toBe('SUCCEEDED');
    expect(postsTo(world, 'interrupt-co')).toEqual([]);
    const states = statesEntered(world, first!);
    expect(states).toContain('Send as the company');
    expect(states).toContain('Leave the out-of-date update unsent');
    expect(states).not.toContain('Tell the CMOC it was sent as the company');
    expect(dmsAbout(world, resolving, 'carla').filter((m) => /as the company/.test(m.text ?? ''))).toEqual(
      [],
    );

    // Both DMs of the round say it is no longer needed, with nothing left to press.
    for (const dm of [ownerDm, backupDm]) {
      const now = await edited(dm, /No longer needed/);
      expect(hasButton(now, 'owner:send')).toBe(false);
      expect(shown(now)).toMatch(/No longer needed: the incident was resolved at \d\d:\d\d UTC/);
    }

    // The resolution round asks Amy again; her press sends it, the only post the customer gets.
    const resolution = await waitFor('the resolution ask', () =>
      dmsAbout(world, resolving, 'amy').find(
        (m) => /resolution update/.test(m.text ?? '') && hasButton(m, 'owner:send'),
      ),
    );
    const { getAction } = await import('../../../lambdas/adapters/actions.ts');
    await waitFor('the resolution ask to know its DM', async () =>
      (await getAction(buttonValue(resolution, 'owner:send')!))?.dm ? true : undefined,
    );
    await world.slack.press({
      channel: resolution.channel,
      ts: resolution.ts,
      actionId: 'owner:send',
      userId: slackIdOf(world, 'amy'),
    });
    const posted = await waitFor('the resolution in interrupt-co', () => postsTo(world, 'interrupt-co')[0]);
    expect(posted.text).toMatch(/back to normal|resolved/i);
    await world.engine.waitForStatus(resolving.executionArn, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
    const posts = postsTo(world, 'interrupt-co');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.text).not.toMatch(/investigating/i);
  });
});
