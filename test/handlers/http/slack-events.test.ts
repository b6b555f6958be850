import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlack } from '../../../lambdas/adapters/signatures.ts';
import { waitFor } from '../../../local/driver.ts';
import { readableText } from '../../../local/slack/workspace.ts';
import { tableCount } from '../../support/frontdoors.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * POST /slack/events, Slack's Events API: signed like the other Slack routes, the URL check answered with
 * its challenge, an event claimed once by its event_id however often Slack redelivers it, event types we
 * don't act on answered 200 and ignored, and bad requests refused having changed nothing.
 */
let h: World;

beforeAll(async () => {
  h = await startWorld();
});
afterAll(async () => {
  await h.close();
});

async function post(body: string, options: { secret?: string; timestamp?: string } = {}) {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${h.runtime.apiUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlack(body, timestamp, options.secret ?? h.runtime.secrets.slackSigning),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const followUpsOf = (eventId: string) =>
  h.lambda
    .asyncEvents()
    .filter((e) => (e.payload as { payload?: { eventId?: string } }).payload?.eventId === eventId);

const publishesFor = (userId: string) =>
  h.slack.calls('views.publish').filter((c) => c.args.user_id === userId);

describe('POST /slack/events', () => {
  it('answers the URL check with its challenge', async () => {
    const out = await h.slack.home.verifyUrl('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('refuses a bad signature (401) and a body that is not JSON (400), changing nothing', async () => {
    const before = await tableCount(h);
    const event = JSON.stringify({ type: 'event_callback', event_id: 'EvBAD1', event: { type: 'app_home_opened' } });
    const forged = await post(event, { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await post(event, { timestamp: String(Math.floor(Date.now() / 1000) - 600) });
    expect(stale.status).toBe(401);
    const garbled = await post('{"type": "event_callback", ');
    expect(garbled.status).toBe(400);
    expect(JSON.parse(garbled.text)).toEqual({ error: 'body is not JSON' });
    const shapeless = await post(JSON.stringify({ event_id: 'Ev1' }));
    expect(shapeless.status).toBe(400);
    expect((JSON.parse(shapeless.text) as { error: string }).error).toMatch(/"type" is missing/);
    const noId = await post(JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened' } }));
    expect(noId.status).toBe(400);
    expect(await tableCount(h)).toBe(before);
    expect(h.slack.calls('views.publish')).toHaveLength(0);
  });

  it('answers 200 to an event type it does not act on, and to the Messages tab, and does nothing', async () => {
    const before = await tableCount(h);
    const user = h.roster.people[0]!.slackUserId;
    const reaction = await h.slack.home.sendEvent({
      event: { type: 'reaction_added', user, reaction: 'eyes', item: { type: 'message' } },
    });
    expect(reaction.status).toBe(200);
    const messagesTab = await h.slack.home.sendEvent({
      event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'messages' },
    });
    expect(messagesTab.status).toBe(200);
    expect(followUpsOf(reaction.eventId)).toHaveLength(0);
    expect(followUpsOf(messagesTab.eventId)).toHaveLength(0);
    expect(await tableCount(h)).toBe(before);
    expect(publishesFor(user)).toHaveLength(0);
  });

  it('publishes the Home of whoever opens it, once however often Slack redelivers the event', async () => {
    const person = h.roster.people[1]!;
    const user = person.slackUserId;
    const first = await h.slack.home.open(user);
    expect(first.status).toBe(200);
    // Slack's redeliveries of the same event while and after it is handled: answered, never acted on again.
    const event = { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' };
    const again = await h.slack.home.sendEvent({ event, eventId: first.eventId, retryNum: 1 });
    expect(again.status).toBe(200);
    const view = await waitFor(`${person.id}'s Home`, () => h.slack.home.view(user));
    expect(view.type).toBe('home');
    expect(readableText({ blocks: view.blocks as unknown[] })).toMatch(/Nothing waits for you right now/);
    await waitFor('the follow-up to finish', () =>
      followUpsOf(first.eventId).every((e) => e.state === 'succeeded') ? true : undefined,
    );
    const late = await h.slack.home.sendEvent({ event, eventId: first.eventId, retryNum: 2 });
    expect(late.status).toBe(200);
    expect(followUpsOf(first.eventId)).toHaveLength(1);
    expect(publishesFor(user)).toHaveLength(1);
  });
});
