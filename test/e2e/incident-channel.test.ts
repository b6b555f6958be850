import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../local/driver.ts';
import {
  declare,
  declareAndStart,
  postsTo,
  scenarioRoster,
  WEDNESDAY,
  type Declared,
} from '../support/scenarios.ts';
import { press, slackIdOf } from '../support/slack.ts';
import { startWorld, type World } from '../support/world.ts';

/**
 * The incident channel through the local world: made when the CMOC is first told, the people invited, one
 * pinned status kept current as accounts are told, `/comms` in it meaning its incident, archived on close.
 */
let world: World;
let web: WebClient;
const declared: Declared[] = [];

beforeAll(async () => {
  world = await startWorld({
    roster: { ...scenarioRoster(), policy: { incidentChannel: { enabled: true } } },
    timeScale: 60,
  });
  const { slack } = await import('../../lambdas/adapters/slack.ts');
  web = await slack();
});
afterAll(async () => {
  await world?.close();
});

const channelNamed = async (name: string) =>
  (await web.conversations.list({ limit: 1000 })).channels?.find((c) => c.name === name);
const pinnedText = async (channel: string): Promise<string> => {
  const items = (await web.pins.list({ channel })).items ?? [];
  return items.map((i) => (i as { message?: { text?: string } }).message?.text ?? '').join('\n');
};

describe('Incident channel', () => {
  it('is made once with the people in it, shows who has been told, answers /comms, and is archived on close', async () => {
    const carla = slackIdOf(world, 'carla');
    const amy = slackIdOf(world, 'amy');
    const incident = await declareAndStart(world, declared, {
      incidentId: 'QCHAN01',
      severity: 'SEV2',
      scenario: 'sends',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    const name = `inc-${WEDNESDAY.americasMorning.slice(0, 10)}-scenario-qchan01`;
    const channel = await waitFor(`#${name} with its pinned status`, async () => {
      const found = await channelNamed(name);
      return found?.id && (await pinnedText(found.id)).includes('Status') ? found : undefined;
    });
    const id = channel.id ?? '';
    const members = (await web.conversations.members({ channel: id })).members ?? [];
    expect(members).toEqual(expect.arrayContaining([carla, amy]));
    expect(world.slack.messages({ channel: id, text: /Scenario QCHAN01/ })).toHaveLength(1);
    expect(await pinnedText(id)).toMatch(/SEV2/);

    await press(world, 'amy', incident, 'owner:send');
    await waitFor('the customer told', () => (postsTo(world, 'sends-co').length > 0 ? true : undefined));
    await waitFor('the pinned status showing the account told', async () =>
      /✅ .* — told \(slack\)/.test(await pinnedText(id)) ? true : undefined,
    );
    // One status message, edited in place: never a second pin.
    expect((await web.pins.list({ channel: id })).items).toHaveLength(1);

    // A second incident open: only the channel can say which one `/comms` means.
    await declare(world, {
      incidentId: 'QCHAN02',
      severity: 'SEV3',
      scenario: 'silent',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    const status = await world.slack.command({ userId: carla, channel: id, text: 'status' });
    expect(status.status).toBe(200);
    const reply = await waitFor('the /comms status reply', () => {
      const text = status
        .replies()
        .map((r) => JSON.stringify(r))
        .join('\n');
      return text.length > 0 ? text : undefined;
    });
    expect(reply).toContain('QCHAN01');
    expect(reply).not.toContain('QCHAN02');

    const resolved = await world.slack.command({ userId: carla, channel: id, text: 'resolve' });
    expect(resolved.status).toBe(200);
    await waitFor('the channel archived', async () =>
      (await web.conversations.info({ channel: id })).channel?.is_archived ? true : undefined,
    );
    expect(world.slack.messages({ channel: id, text: /archived now/ })).toHaveLength(1);
  });
});
