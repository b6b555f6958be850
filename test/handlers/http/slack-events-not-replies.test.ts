import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyEntry } from '../../../lambdas/domain/records/notification.ts';
import { tableCount } from '../../support/frontdoors.ts';
import {
  CHANNELS,
  CUSTOMER,
  INCIDENT,
  dmCount,
  dmsTo,
  followUpsOf,
  rootIn,
  settledFollowUp,
  startRepliesWorld,
} from '../../support/replies.ts';
import { slackIdOf } from '../../support/slack.ts';
import type { World } from '../../support/world.ts';

/**
 * What is not a customer's reply to forward, answered 200 all the same: our own posts, other bots', edits,
 * deletions and joins never loop back; a malformed event is ignored; a redelivery forwards nothing more; a
 * channel with nothing open and the company's own people stay quiet. (Forwarded replies:
 * slack-events-replies.test.ts.)
 */
let h: World;
let repliesOf: (incidentId: string) => Promise<ReplyEntry[]>;

beforeAll(async () => {
  h = await startRepliesWorld();
  ({ repliesOf } = await import('../../../lambdas/adapters/replies.ts'));
});
afterAll(() => h?.close());

describe('what is not a reply to forward', () => {
  it('our own posts, other bots, edits and joins: answered 200, no follow-up, nothing written', async () => {
    const before = await tableCount(h);
    const dms = dmCount(h);
    const ts = '1764770000.000100';
    const events = [
      // Our own customer post as Slack reports it (posted under a person's name: bot_message).
      {
        type: 'message',
        subtype: 'bot_message',
        bot_id: 'B0BOTLOCAL',
        username: 'Ada Okafor',
        channel: CHANNELS.bluebird,
        text: 'Update',
        ts,
      },
      // A post by our bot user without a subtype still carries its bot_id.
      {
        type: 'message',
        user: h.slack.botUserId,
        bot_id: 'B0BOTLOCAL',
        channel: CHANNELS.bluebird,
        text: 'Update',
        ts,
      },
      {
        type: 'message',
        user: 'U0OTHERBOT',
        bot_id: 'B0OTHER01',
        app_id: 'A0OTHER01',
        channel: CHANNELS.bluebird,
        text: 'ci passed',
        ts,
      },
      {
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNELS.bluebird,
        message: { user: CUSTOMER, text: 'edited' },
        ts,
      },
      { type: 'message', subtype: 'message_deleted', channel: CHANNELS.bluebird, deleted_ts: ts, ts },
      {
        type: 'message',
        subtype: 'channel_join',
        user: CUSTOMER,
        channel: CHANNELS.bluebird,
        text: '<@U0CUST001> has joined',
        ts,
      },
    ];
    for (const event of events) {
      const out = await h.slack.home.sendEvent({ event });
      expect(out.status).toBe(200);
      expect(followUpsOf(h, out.eventId)).toHaveLength(0);
    }
    expect(await tableCount(h)).toBe(before);
    expect(dmCount(h)).toBe(dms);
  });

  it('a malformed message event: 200, ignored, nothing written', async () => {
    const before = await tableCount(h);
    const shapes = [
      { type: 'message', user: CUSTOMER, text: 'no channel', ts: '1764770000.000200' },
      { type: 'message', user: CUSTOMER, channel: CHANNELS.bluebird, text: 'bad ts', ts: 'yesterday' },
      {
        type: 'message',
        user: 42,
        channel: CHANNELS.bluebird,
        text: 'user is a number',
        ts: '1764770000.000300',
      },
      {
        type: 'message',
        user: CUSTOMER,
        channel: CHANNELS.bluebird,
        text: { rich: true },
        ts: '1764770000.000400',
      },
    ];
    for (const event of shapes) {
      const out = await h.slack.home.sendEvent({ event });
      expect(out.status).toBe(200);
      expect(followUpsOf(h, out.eventId)).toHaveLength(0);
    }
    expect(await tableCount(h)).toBe(before);
  });

  it('a redelivery of a reply forwards nothing more', async () => {
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: CHANNELS.bluebird,
      text: 'Still broken here',
    });
    const event = {
      type: 'message',
      channel: CHANNELS.bluebird,
      channel_type: 'channel',
      user: CUSTOMER,
      text: message.text,
      ts: message.ts,
    };
    const again = await h.slack.home.sendEvent({ event, eventId: delivery.eventId, retryNum: 1 });
    expect(again.status).toBe(200);
    await settledFollowUp(h, delivery.eventId);
    const late = await h.slack.home.sendEvent({ event, eventId: delivery.eventId, retryNum: 2 });
    expect(late.status).toBe(200);
    expect(followUpsOf(h, delivery.eventId)).toHaveLength(1);
    expect(dmsTo(h, 'ada', 'Still broken here')).toHaveLength(1);
    expect((await repliesOf(INCIDENT)).filter((r) => r.messageTs === message.ts)).toHaveLength(1);
  });

  it('a message in a channel with no open incident, or by one of our people, is not forwarded', async () => {
    const dms = dmCount(h);
    const quiet = await h.slack.say({
      userId: CUSTOMER,
      channel: CHANNELS.fjord,
      text: 'Hello, quick question about invoices',
    });
    const ours = await h.slack.say({
      userId: slackIdOf(h, 'ada'),
      channel: CHANNELS.bluebird,
      text: 'We are on it',
    });
    await settledFollowUp(h, quiet.delivery.eventId);
    await settledFollowUp(h, ours.delivery.eventId);
    expect(dmCount(h)).toBe(dms);
    const logged = (await repliesOf(INCIDENT)).map((r) => r.messageTs);
    expect(logged).not.toContain(ours.message.ts);
    expect(logged).not.toContain(quiet.message.ts);
  });

  it('once the incident is resolved, a message in the channel stays quiet; an answer in its thread still goes', async () => {
    const { updateIncident } = await import('../../../lambdas/adapters/incidents.ts');
    await updateIncident(INCIDENT, { status: 'resolved', resolvedAt: new Date().toISOString() });
    const loose = await h.slack.say({ userId: CUSTOMER, channel: CHANNELS.bluebird, text: 'All good now?' });
    await settledFollowUp(h, loose.delivery.eventId);
    expect(dmsTo(h, 'ada', 'All good now?')).toHaveLength(0);
    const root = rootIn(h, CHANNELS.bluebird);
    const threaded = await h.slack.say({
      userId: CUSTOMER,
      channel: CHANNELS.bluebird,
      text: 'Thanks for the all-clear',
      threadTs: root.ts,
    });
    await settledFollowUp(h, threaded.delivery.eventId);
    expect(dmsTo(h, 'ada', 'Thanks for the all-clear')).toHaveLength(1);
  });
});
