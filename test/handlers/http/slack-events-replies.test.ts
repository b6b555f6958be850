import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import type { DeliverUpdateInput, DeliverUpdateOutput } from '../../../lambdas/contract/payloads.ts';
import type { ReplyEntry } from '../../../lambdas/domain/records/notification.ts';
import type { StoredMessage } from '../../../local/slack/index.ts';
import { waitFor } from '../../../local/driver.ts';
import { readableText } from '../../../local/slack/workspace.ts';
import { tableCount } from '../../support/frontdoors.ts';
import { seedRound } from '../../support/seed.ts';
import { QUIET_SLACK_LOGGER, slackIdOf } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A customer's reply reaches a person: their message in the thread of one of our updates, or in their
 * channel while an incident of theirs is open, is forwarded by DM to whoever sent the update (and, for a
 * company send or a broadcast, to the engagement channel) once, with the account, a quote and a link, and
 * logged as a `reply` on the account's line. Our posts, other bots', edits and joins never loop back;
 * a channel with nothing open stays quiet; a malformed event is answered 200 and ignored.
 */
let h: World;
let deliver: (input: DeliverUpdateInput) => Promise<DeliverUpdateOutput>;
let repliesOf: (incidentId: string) => Promise<ReplyEntry[]>;
let broadcastRepliesOf: (broadcastId: string) => Promise<ReplyEntry[]>;

const CUSTOMER = 'U0CUST001';
const BLUEBIRD = 'C0BLUEB01'; // bluebird-health, ada's
const LUMEN = 'C0LUMEN01'; // lumen-education, lena's
const ELM = 'C0ELMST01'; // elm-street-media, tom's
const FJORD = 'C0FJORD01'; // fjord-logistics, sofia's: in no incident here
const ENGAGEMENT = 'C0SUPPORT1';

beforeAll(async () => {
  h = await startWorld({ asyncRetryDelaysMs: [50, 50] });
  h.slack.addUser({ id: CUSTOMER, name: 'pat', realName: 'Pat Customer', tz: 'America/New_York' });
  deliver = (await import('../../../lambdas/handlers/steps/deliver-update/handler.ts')).handler;
  ({ repliesOf, broadcastRepliesOf } = await import('../../../lambdas/adapters/replies.ts'));
  // One open SEV2 on feature-flags: round 1 sent by each owner, round 2 of tom's accounts by a backup, and
  // round 2 of lena's accounts as the company.
  await seedRound(h.roster, {
    incidentId: 'QREPLY1',
    severity: 'SEV2',
    services: ['feature-flags'],
    round: 1,
  });
  for (const owner of ['ada', 'lena', 'tom']) await deliver(send('QREPLY1', 1, owner));
  await seedRound(h.roster, {
    incidentId: 'QREPLY1',
    severity: 'SEV2',
    services: ['feature-flags'],
    round: 2,
  });
  await deliver(send('QREPLY1', 2, 'tom', { senderId: 'sofia' }));
  await deliver(send('QREPLY1', 2, 'lena', { senderId: 'ines', asCompany: true }));
});
afterAll(() => h?.close());

function send(incidentId: string, round: number, ownerId: string, extra: Partial<DeliverUpdateInput> = {}) {
  return { incidentId, round, ownerId, senderId: ownerId, mode: 'send' as const, asCompany: false, ...extra };
}
/** Our first post in a customer channel: the incident's thread. */
const rootIn = (channel: string): StoredMessage =>
  h.slack.messages({ channel }).find((m) => !m.ephemeralTo && !m.threadTs && m.metadata !== undefined)!;
const dmsTo = (personId: string, marker: string) =>
  h.slack.messages({ user: slackIdOf(h, personId) }).filter((m) => readableText(m).includes(marker));
const postsIn = (channel: string, marker: string) =>
  h.slack.messages({ channel }).filter((m) => readableText(m).includes(marker));
const followUpsOf = (eventId: string) =>
  h.lambda
    .asyncEvents()
    .filter((e) => (e.payload as { payload?: { eventId?: string } }).payload?.eventId === eventId);
const settledFollowUp = (eventId: string) =>
  waitFor(`the follow-up of ${eventId}`, () =>
    followUpsOf(eventId).some((e) => e.state === 'succeeded' || e.state === 'dead-lettered')
      ? true
      : undefined,
  );
const replyTo = (incidentId: string, messageTs: string) => async () =>
  (await repliesOf(incidentId)).find((r) => r.messageTs === messageTs && r.status === 'forwarded');

describe('a customer reply to one of our updates', () => {
  it("in the update's thread reaches its owner by DM, quoted and linked, and is logged once", async () => {
    const root = rootIn(BLUEBIRD);
    const text = 'Is the <https://status.example.com|status page> right? <!channel> we see 5xx & retries';
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: BLUEBIRD,
      text,
      threadTs: root.ts,
    });
    expect(delivery.status).toBe(200);
    const [dm] = await waitFor("ada's DM", () => {
      const found = dmsTo('ada', 'Bluebird Health replied');
      return found.length > 0 ? found : undefined;
    });
    const shown = JSON.stringify(dm!.blocks);
    expect(shown).toContain(
      '>Is the status page (https://status.example.com) right? @channel we see 5xx &amp; retries',
    );
    expect(shown).not.toContain('<!channel>');
    expect(shown).toContain(`/archives/${BLUEBIRD}/p${message.ts.replace('.', '')}`);
    expect(shown).toContain('QREPLY1, update 1');
    const reply = await waitFor('the reply logged', replyTo('QREPLY1', message.ts));
    expect(reply).toMatchObject({
      kind: 'reply',
      accountId: 'bluebird-health',
      round: 1,
      threadTs: root.ts,
      userId: CUSTOMER,
      repliedToSenderId: 'ada',
      asCompany: false,
      forwardedTo: ['ada'],
    });
    expect(reply.quote).toContain('status page (https://status.example.com)');
    expect(postsIn(ENGAGEMENT, 'Bluebird Health')).toHaveLength(0);
  });

  it('in their channel while the incident is open reaches whoever sent the latest update: the backup', async () => {
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: ELM,
      text: 'Any ETA on a fix?',
    });
    await settledFollowUp(delivery.eventId);
    expect(dmsTo('sofia', 'Elm Street Media replied')).toHaveLength(1);
    expect(dmsTo('tom', 'Elm Street Media replied')).toHaveLength(0);
    const reply = await waitFor('the reply logged', replyTo('QREPLY1', message.ts));
    expect(reply).toMatchObject({ round: 2, repliedToSenderId: 'sofia', forwardedTo: ['sofia'] });
    expect(reply.threadTs).toBeUndefined();
  });

  it('to a company send reaches its CMOC and the engagement channel, once each even when a run fails half way', async () => {
    // The engagement channel refuses the post and the client's own retries: the follow-up fails, Lambda
    // runs it again, and the CMOC's DM, posted by the first run, is not posted again.
    h.slack.failNext('chat.postMessage', { status: 500 }, 3, ENGAGEMENT);
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: LUMEN,
      text: 'Thanks, we paused our rollout.',
      threadTs: rootIn(LUMEN).ts,
    });
    await waitFor('the engagement channel post', () =>
      postsIn(ENGAGEMENT, 'Lumen Education replied').length > 0 ? true : undefined,
    );
    await settledFollowUp(delivery.eventId);
    expect(followUpsOf(delivery.eventId)[0]?.attempts).toBeGreaterThan(1);
    expect(dmsTo('ines', 'Lumen Education replied')).toHaveLength(1);
    expect(postsIn(ENGAGEMENT, 'Lumen Education replied')).toHaveLength(1);
    expect(readableText(postsIn(ENGAGEMENT, 'Lumen Education')[0]!)).toContain("the company's update");
    const reply = await waitFor('the reply logged', replyTo('QREPLY1', message.ts));
    expect(reply).toMatchObject({
      asCompany: true,
      repliedToSenderId: 'ines',
      forwardedTo: ['ines', ENGAGEMENT],
    });
  });

  it('to a broadcast reaches who asked for it and the engagement channel', async () => {
    const { claim, complete } = await import('../../../lambdas/adapters/notification-log.ts');
    const { createBroadcast } = await import('../../../lambdas/adapters/broadcasts.ts');
    const at = new Date().toISOString();
    await createBroadcast({
      broadcastId: 'b-reply-test',
      text: 'Planned maintenance tonight',
      filter: {},
      requestedBy: 'marcus',
      reason: 'maintenance',
      createdAt: at,
      status: 'finished',
    });
    // The broadcast's post in fjord-logistics' channel, as the broadcast run leaves it: posted, then logged.
    const web = new WebClient('xoxb-local-stand-in', {
      slackApiUrl: h.slack.apiUrl,
      logger: QUIET_SLACK_LOGGER,
    });
    const posted = await web.chat.postMessage({ channel: FJORD, text: 'Planned maintenance tonight' });
    const entry = {
      broadcastId: 'b-reply-test',
      accountId: 'fjord-logistics',
      channel: 'slack' as const,
      recipient: FJORD,
    };
    await claim({ ...entry, senderId: 'marcus', asCompany: true }, at);
    await complete(entry, { status: 'sent', at, providerId: posted.ts! });

    const { message } = await h.slack.say({
      userId: CUSTOMER,
      channel: FJORD,
      text: 'Which hours?',
      threadTs: posted.ts!,
    });
    await waitFor('the engagement channel post', () =>
      postsIn(ENGAGEMENT, 'Fjord Logistics replied').length > 0 ? true : undefined,
    );
    expect(dmsTo('marcus', 'Fjord Logistics replied')).toHaveLength(1);
    expect(readableText(dmsTo('marcus', 'Fjord Logistics')[0]!)).toContain('b-reply-test');
    const replies = await waitFor('the reply logged', async () => {
      const found = await broadcastRepliesOf('b-reply-test');
      return found.some((r) => r.status === 'forwarded') ? found : undefined;
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      messageTs: message.ts,
      broadcastId: 'b-reply-test',
      forwardedTo: ['marcus', ENGAGEMENT],
    });
  });
});

describe('what is not a reply to forward', () => {
  it('our own posts, other bots, edits and joins: answered 200, no follow-up, nothing written', async () => {
    const before = await tableCount(h);
    const dms = h.slack.messages().filter((m) => m.channel.startsWith('D')).length;
    const ts = '1764770000.000100';
    const events = [
      // Our own customer post as Slack reports it (posted under a person's name: bot_message).
      {
        type: 'message',
        subtype: 'bot_message',
        bot_id: 'B0BOTLOCAL',
        username: 'Ada Okafor',
        channel: BLUEBIRD,
        text: 'Update',
        ts,
      },
      // A post by our bot user without a subtype still carries its bot_id.
      {
        type: 'message',
        user: h.slack.botUserId,
        bot_id: 'B0BOTLOCAL',
        channel: BLUEBIRD,
        text: 'Update',
        ts,
      },
      {
        type: 'message',
        user: 'U0OTHERBOT',
        bot_id: 'B0OTHER01',
        app_id: 'A0OTHER01',
        channel: BLUEBIRD,
        text: 'ci passed',
        ts,
      },
      {
        type: 'message',
        subtype: 'message_changed',
        channel: BLUEBIRD,
        message: { user: CUSTOMER, text: 'edited' },
        ts,
      },
      { type: 'message', subtype: 'message_deleted', channel: BLUEBIRD, deleted_ts: ts, ts },
      {
        type: 'message',
        subtype: 'channel_join',
        user: CUSTOMER,
        channel: BLUEBIRD,
        text: '<@U0CUST001> has joined',
        ts,
      },
    ];
    for (const event of events) {
      const out = await h.slack.home.sendEvent({ event });
      expect(out.status).toBe(200);
      expect(followUpsOf(out.eventId)).toHaveLength(0);
    }
    expect(await tableCount(h)).toBe(before);
    expect(h.slack.messages().filter((m) => m.channel.startsWith('D'))).toHaveLength(dms);
  });

  it('a malformed message event: 200, ignored, nothing written', async () => {
    const before = await tableCount(h);
    const shapes = [
      { type: 'message', user: CUSTOMER, text: 'no channel', ts: '1764770000.000200' },
      { type: 'message', user: CUSTOMER, channel: BLUEBIRD, text: 'bad ts', ts: 'yesterday' },
      { type: 'message', user: 42, channel: BLUEBIRD, text: 'user is a number', ts: '1764770000.000300' },
      { type: 'message', user: CUSTOMER, channel: BLUEBIRD, text: { rich: true }, ts: '1764770000.000400' },
    ];
    for (const event of shapes) {
      const out = await h.slack.home.sendEvent({ event });
      expect(out.status).toBe(200);
      expect(followUpsOf(out.eventId)).toHaveLength(0);
    }
    expect(await tableCount(h)).toBe(before);
  });

  it('a redelivery of a reply forwards nothing more', async () => {
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: BLUEBIRD,
      text: 'Still broken here',
    });
    const event = {
      type: 'message',
      channel: BLUEBIRD,
      channel_type: 'channel',
      user: CUSTOMER,
      text: message.text,
      ts: message.ts,
    };
    const again = await h.slack.home.sendEvent({ event, eventId: delivery.eventId, retryNum: 1 });
    expect(again.status).toBe(200);
    await settledFollowUp(delivery.eventId);
    const late = await h.slack.home.sendEvent({ event, eventId: delivery.eventId, retryNum: 2 });
    expect(late.status).toBe(200);
    expect(followUpsOf(delivery.eventId)).toHaveLength(1);
    expect(dmsTo('ada', 'Still broken here')).toHaveLength(1);
    expect((await repliesOf('QREPLY1')).filter((r) => r.messageTs === message.ts)).toHaveLength(1);
  });

  it('a message in a channel with no open incident, or by one of our people, is not forwarded', async () => {
    const dms = h.slack.messages().filter((m) => m.channel.startsWith('D')).length;
    const quiet = await h.slack.say({
      userId: CUSTOMER,
      channel: FJORD,
      text: 'Hello, quick question about invoices',
    });
    const ours = await h.slack.say({ userId: slackIdOf(h, 'ada'), channel: BLUEBIRD, text: 'We are on it' });
    await settledFollowUp(quiet.delivery.eventId);
    await settledFollowUp(ours.delivery.eventId);
    expect(h.slack.messages().filter((m) => m.channel.startsWith('D'))).toHaveLength(dms);
    expect((await repliesOf('QREPLY1')).map((r) => r.messageTs)).not.toContain(ours.message.ts);
    expect((await broadcastRepliesOf('b-reply-test')).map((r) => r.messageTs)).not.toContain(
      quiet.message.ts,
    );
  });
});
