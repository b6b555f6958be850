import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ifDefined } from '../../../lambdas/domain/optional.ts';
import { startSlackStandIn } from '../../../local/slack/index.ts';
import type { SlackStandIn } from '../../../local/slack/index.ts';

const TOKEN = 'xoxb-local-test';
const USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Am', tz: 'Asia/Kolkata', email: 'alice@example.com' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Backup', tz: 'Europe/Berlin', presence: 'away' as const },
];

let slack: SlackStandIn;
let client: WebClient;

function clientWith(options: ConstructorParameters<typeof WebClient>[1] = {}, token = TOKEN) {
  return new WebClient(token, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, ...options });
}

/** The Slack error code a rejected WebClient call carries. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string } };
    return e.code === ErrorCode.PlatformError ? `platform:${e.data?.error}` : String(e.code);
  }
  throw new Error('expected the call to fail, it succeeded');
}

beforeAll(async () => {
  slack = await startSlackStandIn({
    botToken: TOKEN,
    signingSecret: 'unused-here',
    users: USERS,
    channels: [
      { id: 'C0INCIDENT', name: 'incident-comms' },
      { id: 'C0CUSTA', name: 'ext-acme' },
    ],
    interactionsUrl: () => 'http://127.0.0.1:9/unused',
  });
  client = clientWith();
});
afterAll(() => slack.close());

describe('Slack stand-in, driven by the real @slack/web-api client', () => {
  it('answers auth.test for the bot token and refuses others', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: slack.botUserId, team_id: slack.teamId });
    expect(await slackError(clientWith({}, 'xoxb-wrong').auth.test())).toBe('platform:invalid_auth');
    expect(await slackError(clientWith({}, '').auth.test())).toBe('platform:not_authed');
  });

  it('posts messages with blocks and metadata, increasing ts, and keeps them', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*SEV1* checkout is down' } }];
    const first = await client.chat.postMessage({
      channel: 'C0INCIDENT',
      text: 'SEV1 checkout is down',
      blocks,
      username: 'Dana (CMOC)',
      icon_url: 'https://example.com/dana.png',
      metadata: { event_type: 'incident_update', event_payload: { incident: 'P123' } },
      unfurl_links: false,
    });
    const second = await client.chat.postMessage({ channel: '#incident-comms', text: 'second' });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.channel).toBe('C0INCIDENT');
    expect(second.channel).toBe('C0INCIDENT');
    expect(typeof first.message?.blocks?.[0]?.block_id).toBe('string');
    const [stored] = slack.messages({ channel: 'C0INCIDENT', text: /checkout is down/ });
    expect(stored).toMatchObject({
      ts: first.ts,
      username: 'Dana (CMOC)',
      iconUrl: 'https://example.com/dana.png',
      metadata: { event_type: 'incident_update', event_payload: { incident: 'P123' } },
      edits: 0,
    });
    expect(stored?.postedAt).toBeInstanceOf(Date);
  });

  it('accepts JSON bodies with a bearer token, as Slack does', async () => {
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0CUSTA', text: 'json body', blocks: [{ type: 'divider' }] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0CUSTA' });
    expect(slack.messages({ channel: 'C0CUSTA', text: 'json body' })).toHaveLength(1);
  });

  it('updates a message, keeping its blocks when the update leaves them out', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C0CUSTA',
      text: 'draft',
      blocks: [{ type: 'section', text: { type: 'plain_text', text: 'draft body' } }],
    });
    const updated = await client.chat.update({ channel: 'C0CUSTA', ts: posted.ts ?? '', text: 'sent' });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'sent' });
    const [stored] = slack.messages({ channel: 'C0CUSTA', text: 'draft body' });
    expect(stored).toMatchObject({ text: 'sent', edits: 1 });
    expect(await slackError(client.chat.update({ channel: 'C0CUSTA', ts: '1.000001', text: 'x' }))).toBe(
      'platform:message_not_found',
    );
  });

  it('keeps threads: replies come back from conversations.replies, not from history', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0INCIDENT', text: 'thread parent' });
    const reply = await client.chat.postMessage({
      channel: 'C0INCIDENT',
      text: 'reply 1',
      ...ifDefined('thread_ts', parent.ts),
    });
    await client.chat.postMessage({
      channel: 'C0INCIDENT',
      text: 'reply 2',
      ...ifDefined('thread_ts', reply.ts),
    });
    const thread = await client.conversations.replies({ channel: 'C0INCIDENT', ts: parent.ts ?? '' });
    expect(thread.messages?.map((m) => m.text)).toEqual(['thread parent', 'reply 1', 'reply 2']);
    expect(thread.messages?.[2]?.thread_ts).toBe(parent.ts);
    const history = await client.conversations.history({ channel: 'C0INCIDENT' });
    const texts = history.messages?.map((m) => m.text) ?? [];
    expect(texts[0]).toBe('thread parent');
    expect(texts).not.toContain('reply 1');
    expect(history.messages?.[0]).toMatchObject({ reply_count: 2, thread_ts: parent.ts });
    expect(
      await slackError(client.chat.postMessage({ channel: 'C0INCIDENT', text: 'x', thread_ts: '1.000001' })),
    ).toBe('platform:thread_not_found');
  });

  it('pages conversations.history with a cursor', async () => {
    slack.addChannel({ id: 'C0PAGED', name: 'paged' });
    for (const n of [1, 2, 3]) await client.chat.postMessage({ channel: 'C0PAGED', text: `m${n}` });
    const first = await client.conversations.history({ channel: 'C0PAGED', limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['m3', 'm2']);
    expect(first.has_more).toBe(true);
    const rest = await client.conversations.history({
      channel: 'C0PAGED',
      limit: 2,
      ...ifDefined('cursor', first.response_metadata?.next_cursor),
    });
    expect(rest.messages?.map((m) => m.text)).toEqual(['m1']);
    expect(rest.has_more).toBe(false);
  });

  it('opens a stable DM per user, and posting to a user id lands in it', async () => {
    const a = await client.conversations.open({ users: 'U0ALICE' });
    const b = await client.conversations.open({ users: 'U0ALICE' });
    expect(a.channel?.id).toMatch(/^D/);
    expect(b.channel?.id).toBe(a.channel?.id);
    expect(slack.dmUser(a.channel?.id ?? '')).toBe('U0ALICE');
    expect(slack.dmUser('C0INCIDENT')).toBeUndefined();
    await client.chat.postMessage({ channel: a.channel?.id ?? '', text: 'your draft for Acme' });
    const viaUser = await client.chat.postMessage({ channel: 'U0ALICE', text: 'second DM' });
    expect(viaUser.channel).toBe(a.channel?.id);
    expect(slack.messages({ user: 'U0ALICE' }).map((m) => m.text)).toEqual([
      'your draft for Acme',
      'second DM',
    ]);
    expect(slack.messages({ user: 'U0BOB' })).toEqual([]);
    expect(await slackError(client.conversations.open({ users: 'U0NOBODY' }))).toBe(
      'platform:user_not_found',
    );
  });

  it('posts ephemeral messages only to someone who can see the conversation', async () => {
    const dm = await client.conversations.open({ users: 'U0BOB' });
    const posted = await client.chat.postEphemeral({
      channel: dm.channel?.id ?? '',
      user: 'U0BOB',
      text: 'only you',
    });
    expect(posted.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(slack.messages({ user: 'U0BOB', text: 'only you' })[0]?.ephemeralTo).toBe('U0BOB');
    const history = await client.conversations.history({ channel: dm.channel?.id ?? '' });
    expect(history.messages?.map((m) => m.text)).not.toContain('only you');
    expect(
      await slackError(
        client.chat.postEphemeral({ channel: dm.channel?.id ?? '', user: 'U0ALICE', text: 'no' }),
      ),
    ).toBe('platform:user_not_in_channel');
  });

  it('answers users.info and users.getPresence like Slack', async () => {
    const { user } = await client.users.info({ user: 'U0ALICE' });
    expect(user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'Alice Am',
      tz: 'Asia/Kolkata',
      tz_offset: 19800,
      profile: { real_name: 'Alice Am', display_name: 'alice', email: 'alice@example.com' },
    });
    expect(user?.profile?.image_72).toMatch(/^https:\/\//);
    expect((await client.users.getPresence({ user: 'U0BOB' })).presence).toBe('away');
    slack.setPresence('U0BOB', 'active');
    expect((await client.users.getPresence({ user: 'U0BOB' })).presence).toBe('active');
    expect((await client.users.lookupByEmail({ email: 'alice@example.com' })).user?.id).toBe('U0ALICE');
    expect(await slackError(client.users.info({ user: 'U0NOBODY' }))).toBe('platform:user_not_found');
  });

  it('gives permalinks the stand-in can show', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0INCIDENT', text: 'link me' });
    const { permalink } = await client.chat.getPermalink({
      channel: 'C0INCIDENT',
      message_ts: posted.ts ?? '',
    });
    expect(permalink).toBe(`${slack.url}/archives/C0INCIDENT/p${posted.ts?.replace('.', '')}`);
    const response = await fetch(permalink ?? '', { redirect: 'manual' });
    expect(response.status).toBe(303);
  });

  it('refuses unknown channels and unknown methods', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe(
      'platform:channel_not_found',
    );
    expect(await slackError(client.apiCall('chat.teleport', { channel: 'C0INCIDENT' }))).toBe(
      'platform:unknown_method',
    );
    expect(await slackError(client.chat.postMessage({ channel: 'C0INCIDENT', text: '' }))).toBe(
      'platform:no_text',
    );
  });
});

describe('Slack stand-in faults and rate limits', () => {
  it('answers 429 with Retry-After, which a rejectRateLimitedCalls client surfaces', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 7 }, 1, 'C0CUSTA');
    const strict = clientWith({ rejectRateLimitedCalls: true });
    let caught: { code?: string; retryAfter?: number } = {};
    await strict.chat.postMessage({ channel: 'C0CUSTA', text: 'limited' }).catch((e: typeof caught) => {
      caught = e;
    });
    expect(caught).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(slack.calls('chat.postMessage').at(-1)).toMatchObject({ status: 429, error: 'ratelimited' });
    expect(slack.messages({ text: 'limited' })).toEqual([]);
    await strict.chat.postMessage({ channel: 'C0CUSTA', text: 'limited' });
    expect(slack.messages({ text: 'limited' })).toHaveLength(1);
  });

  it('lets the default client honour Retry-After and post exactly once', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const patient = clientWith({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
    await patient.chat.postMessage({ channel: 'C0CUSTA', text: 'after a pause' });
    expect(slack.messages({ text: 'after a pause' })).toHaveLength(1);
  });

  it('injects 500s and Slack errors, for one channel only when asked', async () => {
    slack.failNext('chat.postMessage', { status: 500 });
    const noRetry = clientWith({ retryConfig: { retries: 0 } });
    expect(await slackError(noRetry.chat.postMessage({ channel: 'C0CUSTA', text: 'boom' }))).toBe(
      ErrorCode.HTTPError,
    );
    slack.failNext('chat.postMessage', { error: 'is_archived' }, 2, 'C0CUSTA');
    await noRetry.chat.postMessage({ channel: 'C0INCIDENT', text: 'other channel is fine' });
    expect(await slackError(noRetry.chat.postMessage({ channel: 'C0CUSTA', text: 'x' }))).toBe(
      'platform:is_archived',
    );
    expect(await slackError(noRetry.chat.postMessage({ channel: 'C0CUSTA', text: 'x' }))).toBe(
      'platform:is_archived',
    );
    await noRetry.chat.postMessage({ channel: 'C0CUSTA', text: 'fault used up' });
    expect(slack.messages({ text: 'fault used up' })).toHaveLength(1);
  });

  it('rate-limits each channel separately when configured', async () => {
    const limited = await startSlackStandIn({
      botToken: TOKEN,
      signingSecret: 's',
      users: USERS,
      channels: [
        { id: 'C1', name: 'one' },
        { id: 'C2', name: 'two' },
      ],
      interactionsUrl: () => '',
      rateLimit: { perChannelPerSecond: 1 },
    });
    try {
      const strict = new WebClient(TOKEN, {
        slackApiUrl: limited.apiUrl,
        rejectRateLimitedCalls: true,
        logLevel: LogLevel.ERROR,
      });
      const outcomes = await Promise.allSettled([
        strict.chat.postMessage({ channel: 'C1', text: 'a' }),
        strict.chat.postMessage({ channel: 'C1', text: 'b' }),
        strict.chat.postMessage({ channel: 'C2', text: 'c' }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
      const rejected = outcomes.find((o) => o.status === 'rejected');
      expect((rejected?.reason as { code?: string }).code).toBe(ErrorCode.RateLimitedError);
      expect(limited.messages({ channel: 'C2' })).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});
