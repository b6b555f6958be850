import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../local/driver.ts';
import { readableText } from '../../local/slack/workspace.ts';
import { declareAndStart, postsTo, scenarioRoster, WEDNESDAY, type Declared } from '../support/scenarios.ts';
import { slackIdOf } from '../support/slack.ts';
import { startWorld, type World } from '../support/world.ts';

/**
 * App Home through the local world: an owner opens Home during an incident and finds their ask with the
 * DM's buttons; Send pressed from Home sends once; Home is republished with the account told; the CMOC's
 * Home shows every account of the incident.
 */
let world: World;
const declared: Declared[] = [];

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 60 });
});
afterAll(async () => {
  await world?.close();
});

const homeText = (userId: string): string => {
  const view = world.slack.home.view(userId);
  return view ? readableText({ blocks: view.blocks as unknown[] }) : '';
};
const hasButton = (userId: string, actionId: string): boolean =>
  JSON.stringify(world.slack.home.view(userId)?.blocks ?? []).includes(`"action_id":"${actionId}"`);

describe('App Home', () => {
  it('shows the owner their ask, sends once from Home, then shows the account told; the CMOC sees it all', async () => {
    const amy = slackIdOf(world, 'amy');
    const cmoc = slackIdOf(world, 'carla');
    const incident = await declareAndStart(world, declared, {
      incidentId: 'QHOME01',
      severity: 'SEV2',
      scenario: 'sends',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await waitFor("amy's DM asking her to send", () =>
      world.slack.messages({ user: amy }).find((m) => JSON.stringify(m.blocks ?? []).includes('owner:send')),
    );
    expect((await world.slack.home.open(amy)).status).toBe(200);
    await waitFor("amy's Home with her ask", () => (hasButton(amy, 'owner:send') ? true : undefined));
    expect(homeText(amy)).toContain(incident.title);
    for (const id of ['owner:send', 'owner:sent_myself', 'owner:cant', 'owner:edit']) expect(hasButton(amy, id)).toBe(true);
    expect((await world.slack.home.open(cmoc)).status).toBe(200);
    await waitFor("carla's Home", () => (homeText(cmoc).includes('Every account of the incident') ? true : undefined));

    // A press from Home carries the view as its container: no channel, no message.
    expect((await world.slack.home.press({ userId: amy, actionId: 'owner:send' })).status).toBe(200);
    await waitFor('the customer told', () => (postsTo(world, 'sends-co').length > 0 ? true : undefined));
    await waitFor("amy's Home republished with the account told", () =>
      /sends-co|Sends/i.test(homeText(amy)) && /1 notified/.test(homeText(amy)) && !hasButton(amy, 'owner:send')
        ? true
        : undefined,
    );
    await waitFor("carla's Home with the account told", () => (/1 notified/.test(homeText(cmoc)) ? true : undefined));
    expect(postsTo(world, 'sends-co')).toHaveLength(1);
  });
});
