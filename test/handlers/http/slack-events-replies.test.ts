import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import type { ReplyEntry } from '../../../lambdas/domain/records/notification.ts';
import { waitFor } from '../../../local/driver.ts';
import { readableText } from '../../../local/slack/workspace.ts';
import {
  CHANNELS,
  CUSTOMER,
  INCIDENT,
  dmsTo,
  followUpsOf,
  postsIn,
  rootIn,
  settledFollowUp,
  startRepliesWorld,
} from '../../support/replies.ts';
import { QUIET_SLACK_LOGGER, slackIdOf } from '../../support/slack.ts';
import type { World } from '../../support/world.ts';

/**
 * A customer's reply reaches a person: their message in the thread of one of our updates, or in their
 * channel while an incident of theirs is open, is forwarded by DM to whoever sent the update (and, for a
 * company send or a broadcast, to the engagement channel) once, with the account, a quote and a link, and
 * logged as a `reply` on the account's line. (What is left alone: slack-events-not-replies.test.ts.)
 */
let h: World;
let repliesOf: (incidentId: string) => Promise<ReplyEntry[]>;
let broadcastRepliesOf: (broadcastId: string) => Promise<ReplyEntry[]>;

beforeAll(async () => {
  h = await startRepliesWorld();
  ({ repliesOf, broadcastRepliesOf } = await import('../../../lambdas/adapters/replies.ts'));
});
afterAll(() => h?.close());

const personName = (world: World, id: string) => world.roster.people.find((p) => p.id === id)!.name;

const replyTo = (messageTs: string) => async () =>
  (await repliesOf(INCIDENT)).find((r) => r.messageTs === messageTs && r.status === 'forwarded');

describe('a customer reply to one of our updates', () => {
  it("in the update's thread reaches its owner by DM, quoted and linked, and is logged once", async () => {
    const root = rootIn(h, CHANNELS.bluebird);
    const text = 'Is the <https://status.example.com|status page> right? <!channel> we see 5xx & retries';
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: CHANNELS.bluebird,
      text,
      threadTs: root.ts,
    });
    expect(delivery.status).toBe(200);
    const [dm] = await waitFor("ada's DM", () => {
      const found = dmsTo(h, 'ada', 'Bluebird Health replied');
      return found.length > 0 ? found : undefined;
    });
    const shown = JSON.stringify(dm!.blocks);
    expect(shown).toContain(
      '>Is the status page (https://status.example.com) right? @channel we see 5xx &amp; retries',
    );
    expect(shown).not.toContain('<!channel>');
    expect(shown).toContain(`/archives/${CHANNELS.bluebird}/p${message.ts.replace('.', '')}`);
    expect(shown).toContain('QREPLY1, update 1');
    const reply = await waitFor('the reply logged', replyTo(message.ts));
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
    expect(postsIn(h, CHANNELS.engagement, 'Bluebird Health')).toHaveLength(0);

    // The read API lists it on the account's line, as a reply, not as a send.
    const { handler } = await import('../../../lambdas/handlers/http/read-api/handler.ts');
    const get = (query: Record<string, string>) =>
      (handler as (event: unknown) => Promise<{ statusCode: number; body: string }>)({
        routeKey: 'GET /api/incidents/{id}/notifications',
        rawPath: `/api/incidents/${INCIDENT}/notifications`,
        pathParameters: { id: INCIDENT },
        queryStringParameters: query,
        headers: {},
        requestContext: { http: { method: 'GET', path: `/api/incidents/${INCIDENT}/notifications` } },
      });
    const view = JSON.parse((await get({})).body) as {
      notifications: { kind: string; account_id: string; provider_id: string; round: number }[];
      summary: { total: number };
    };
    const rows = view.notifications.filter((r) => r.kind === 'reply' && r.provider_id === message.ts);
    expect(rows).toEqual([expect.objectContaining({ account_id: 'bluebird-health', round: 1 })]);
    const csv = (await get({ format: 'csv' })).body;
    expect(
      csv.split('\n').filter((line) => line.startsWith('reply,') && line.includes(message.ts)),
    ).toHaveLength(1);
    // A send filter leaves replies out: they are not sends.
    const failedOnly = JSON.parse((await get({ status: 'failed' })).body) as typeof view;
    expect(failedOnly.notifications.some((r) => r.kind === 'reply')).toBe(false);
  });

  it('in their channel while the incident is open reaches whoever sent the latest update: the backup', async () => {
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: CHANNELS.elm,
      text: 'Any ETA on a fix?',
    });
    await settledFollowUp(h, delivery.eventId);
    expect(dmsTo(h, 'sofia', 'Elm Street Media replied')).toHaveLength(1);
    expect(dmsTo(h, 'tom', 'Elm Street Media replied')).toHaveLength(0);
    const reply = await waitFor('the reply logged', replyTo(message.ts));
    expect(reply).toMatchObject({ round: 2, repliedToSenderId: 'sofia', forwardedTo: ['sofia'] });
    expect(reply.threadTs).toBeUndefined();
  });

  it("whose sender Slack refuses for good (they left) reaches the incident's CMOC instead, once, saying why", async () => {
    h.slack.failNext('chat.postMessage', { error: 'account_inactive' }, 1, slackIdOf(h, 'ada'));
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: CHANNELS.bluebird,
      text: 'Still failing on our side.',
    });
    await settledFollowUp(h, delivery.eventId);
    // A refusal is final: the follow-up is not retried into the dead-letter queue.
    expect(followUpsOf(h, delivery.eventId)[0]?.attempts).toBe(1);
    const toCmoc = dmsTo(h, 'ines', 'Bluebird Health replied');
    expect(toCmoc).toHaveLength(1);
    const shown = readableText(toCmoc[0]!);
    expect(shown).toContain(`replied to ${personName(h, 'ada')}'s update`);
    expect(shown).toContain('Still failing on our side.');
    expect(shown).toContain('slack: account_inactive');
    expect(dmsTo(h, 'ada', 'Still failing')).toHaveLength(0);
    const reply = await waitFor('the reply logged', replyTo(message.ts));
    expect(reply).toMatchObject({
      repliedToSenderId: 'ada',
      forwardedTo: ['ines'],
      undeliverable: [{ to: 'ada', error: 'slack: account_inactive' }],
    });
  });

  it('to a company send reaches its CMOC and the engagement channel, once each even when a run fails half way', async () => {
    // The engagement channel refuses the post and the client's own retries: the follow-up fails, Lambda
    // runs it again, and the CMOC's DM, posted by the first run, is not posted again.
    h.slack.failNext('chat.postMessage', { status: 500 }, 3, CHANNELS.engagement);
    const { message, delivery } = await h.slack.say({
      userId: CUSTOMER,
      channel: CHANNELS.lumen,
      text: 'Thanks, we paused our rollout.',
      threadTs: rootIn(h, CHANNELS.lumen).ts,
    });
    await waitFor('the engagement channel post', () =>
      postsIn(h, CHANNELS.engagement, 'Lumen Education replied').length > 0 ? true : undefined,
    );
    await settledFollowUp(h, delivery.eventId);
    expect(followUpsOf(h, delivery.eventId)[0]?.attempts).toBeGreaterThan(1);
    expect(dmsTo(h, 'ines', 'Lumen Education replied')).toHaveLength(1);
    expect(postsIn(h, CHANNELS.engagement, 'Lumen Education replied')).toHaveLength(1);
    expect(readableText(postsIn(h, CHANNELS.engagement, 'Lumen Education')[0]!)).toContain(
      "the company's update",
    );
    const reply = await waitFor('the reply logged', replyTo(message.ts));
    expect(reply).toMatchObject({
      asCompany: true,
      repliedToSenderId: 'ines',
      forwardedTo: ['ines', CHANNELS.engagement],
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
    const posted = await web.chat.postMessage({
      channel: CHANNELS.fjord,
      text: 'Planned maintenance tonight',
    });
    const entry = {
      broadcastId: 'b-reply-test',
      accountId: 'fjord-logistics',
      channel: 'slack' as const,
      recipient: CHANNELS.fjord,
    };
    await claim({ ...entry, senderId: 'marcus', asCompany: true }, at);
    await complete(entry, { status: 'sent', at, providerId: posted.ts! });

    const { message } = await h.slack.say({
      userId: CUSTOMER,
      channel: CHANNELS.fjord,
      text: 'Which hours?',
      threadTs: posted.ts!,
    });
    await waitFor('the engagement channel post', () =>
      postsIn(h, CHANNELS.engagement, 'Fjord Logistics replied').length > 0 ? true : undefined,
    );
    expect(dmsTo(h, 'marcus', 'Fjord Logistics replied')).toHaveLength(1);
    expect(readableText(dmsTo(h, 'marcus', 'Fjord Logistics')[0]!)).toContain('b-reply-test');
    const replies = await waitFor('the reply logged', async () => {
      const found = await broadcastRepliesOf('b-reply-test');
      return found.some((r) => r.status === 'forwarded') ? found : undefined;
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      messageTs: message.ts,
      broadcastId: 'b-reply-test',
      forwardedTo: ['marcus', CHANNELS.engagement],
    });
  });
});

describe("the Slack stand-in's page", () => {
  it('lets a customer answer in the thread of our post, and the reply reaches its sender', async () => {
    const ada = h.roster.people.find((p) => p.id === 'ada')!.slackUserId;
    const page = await (await fetch(`${h.slack.url}/ui/content?as=${ada}`)).text();
    expect(page).toContain('A customer replies in the thread');
    expect(page).toContain('A customer writes in the channel');
    const answer = await fetch(`${h.slack.url}/ui/customer-reply`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        userId: ada,
        channel: CHANNELS.bluebird,
        threadTs: rootIn(h, CHANNELS.bluebird).ts,
      }),
    });
    expect(await answer.json()).toEqual({ ok: true, said: 'The customer wrote; the app answered.' });
    await waitFor("ada's DM of the page's reply", () =>
      dmsTo(h, 'ada', 'Is there an ETA for the fix?').length === 1 ? true : undefined,
    );
  });
});
