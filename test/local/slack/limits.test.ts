import { ErrorCode, WebClient } from '@slack/web-api';
import { QUIET_SLACK_LOGGER } from '../../support/slack.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandIn } from '../../../local/slack/index.ts';
import type { SlackStandIn } from '../../../local/slack/index.ts';
import { startReceiver } from './receiver.ts';

/**
 * The stand-in refuses what Slack refuses (local/slack/limits.ts): each Block Kit limit at its edge is
 * taken, one over it is refused with Slack's error and a json-pointer to the field, and nothing is kept.
 */
const TOKEN = 'xoxb-local-test';
const SECRET = 'signing-secret-for-limits';
const USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Am', tz: 'Europe/London' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Backup', tz: 'Europe/Berlin' },
  { id: 'U0CAROL', name: 'carol', realName: 'Carol Cmoc', tz: 'America/New_York' },
];

let slack: SlackStandIn;
let client: WebClient;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
/** What the app answers the next interaction (a view submission's response_action). */
let appAnswer = { status: 200, body: '' };

beforeAll(async () => {
  receiver = await startReceiver(SECRET, () => appAnswer);
  slack = await startSlackStandIn({
    botToken: TOKEN,
    signingSecret: SECRET,
    users: USERS,
    channels: [{ id: 'C0LIMITS', name: 'limits' }],
    interactionsUrl: () => receiver.url,
  });
  client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, logger: QUIET_SLACK_LOGGER });
});
afterAll(async () => {
  await slack.close();
  await receiver.close();
});

type Json = Record<string, unknown>;
/** A block as these tests build it: whatever Slack's `Block` is at least, plus anything. */
type BlockJson = Json & { type: string };

/** Slack's answer to a refused call: its error and its "[ERROR] … [json-pointer:…]" lines. */
async function refusal(call: Promise<unknown>): Promise<{ error: string; messages: string[] }> {
  try {
    await call;
  } catch (error) {
    const e = error as {
      code?: string;
      data?: { error?: string; response_metadata?: { messages?: string[] } };
    };
    if (e.code !== ErrorCode.PlatformError) throw error;
    return { error: String(e.data?.error), messages: e.data?.response_metadata?.messages ?? [] };
  }
  throw new Error('expected Slack to refuse the call; it was accepted');
}

const section = (text: string): BlockJson => ({ type: 'section', text: { type: 'mrkdwn', text } });
const plain = (text: string): Json => ({ type: 'plain_text', text });
const button = (over: Json = {}): Json => ({
  type: 'button',
  text: plain('Go'),
  action_id: 'go',
  value: 'v',
  ...over,
});
const actions = (...elements: Json[]): BlockJson => ({ type: 'actions', elements });
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const option = (i: number): Json => ({ text: plain(`Option ${i}`), value: `o${i}` });
const select = (n: number): Json => ({ type: 'static_select', action_id: 'pick', options: times(n, option) });
const context = (n: number): BlockJson => ({
  type: 'context',
  elements: times(n, (i) => ({ type: 'mrkdwn', text: `c${i}` })),
});

/** Each message limit: the blocks at the limit, the blocks one over, and where Slack points. */
const MESSAGE_LIMITS: { limit: string; at: Json[]; over: Json[]; pointer: string }[] = [
  {
    limit: '50 blocks',
    at: times(50, (i) => section(`${i}`)),
    over: times(51, (i) => section(`${i}`)),
    pointer: '/blocks',
  },
  {
    limit: 'section text 3,000',
    at: [section('x'.repeat(3000))],
    over: [section('x'.repeat(3001))],
    pointer: '/blocks/0/text',
  },
  {
    limit: 'header text 150',
    at: [{ type: 'header', text: plain('h'.repeat(150)) }],
    over: [{ type: 'header', text: plain('h'.repeat(151)) }],
    pointer: '/blocks/0/text',
  },
  {
    limit: 'button text 75',
    at: [actions(button({ text: plain('b'.repeat(75)) }))],
    over: [actions(button({ text: plain('b'.repeat(76)) }))],
    pointer: '/blocks/0/elements/0/text',
  },
  {
    limit: 'button value 2,000',
    at: [actions(button({ value: 'v'.repeat(2000) }))],
    over: [actions(button({ value: 'v'.repeat(2001) }))],
    pointer: '/blocks/0/elements/0/value',
  },
  {
    limit: 'action_id 255',
    at: [actions(button({ action_id: 'a'.repeat(255) }))],
    over: [actions(button({ action_id: 'a'.repeat(256) }))],
    pointer: '/blocks/0/elements/0/action_id',
  },
  {
    limit: 'action_id unique in its block',
    at: [actions(button()), actions(button())],
    over: [actions(button(), button())],
    pointer: '/blocks/0/elements/1/action_id',
  },
  {
    limit: 'static_select 100 options',
    at: [actions(select(100))],
    over: [actions(select(101))],
    pointer: '/blocks/0/elements/0/options',
  },
  { limit: 'context 10 elements', at: [context(10)], over: [context(11)], pointer: '/blocks/0/elements' },
];

describe('message blocks (chat.postMessage, chat.update, chat.postEphemeral)', () => {
  it.each(MESSAGE_LIMITS)(
    '$limit: taken at the limit, invalid_blocks one over',
    async ({ at, over, pointer }) => {
      const posted = await client.apiCall('chat.postMessage', {
        channel: 'C0LIMITS',
        text: 'at',
        blocks: at,
      });
      expect(posted.ok).toBe(true);
      const before = slack.messages({ channel: 'C0LIMITS' }).length;

      const refused = await refusal(
        client.apiCall('chat.postMessage', { channel: 'C0LIMITS', text: 'over', blocks: over }),
      );
      expect(refused.error).toBe('invalid_blocks');
      expect(refused.messages).toContainEqual(
        expect.stringMatching(new RegExp(`^\\[ERROR\\] .+ \\[json-pointer:${pointer}\\]$`)),
      );
      expect(slack.messages({ channel: 'C0LIMITS' })).toHaveLength(before);

      const ts = String((posted as { ts?: string }).ts);
      const update = await refusal(
        client.apiCall('chat.update', { channel: 'C0LIMITS', ts, text: 'over', blocks: over }),
      );
      expect(update.error).toBe('invalid_blocks');
      expect(slack.messages({ channel: 'C0LIMITS' }).find((m) => m.ts === ts)).toMatchObject({
        text: 'at',
        edits: 0,
      });

      const ephemeral = client.apiCall('chat.postEphemeral', {
        channel: 'C0LIMITS',
        user: 'U0ALICE',
        text: 'over',
        blocks: over,
      });
      expect((await refusal(ephemeral)).error).toBe('invalid_blocks');
    },
  );

  it('keeps the first 40,000 characters of a longer text, as Slack does, rather than refusing it', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0LIMITS', text: 'y'.repeat(40_010) });
    expect(slack.messages({ channel: 'C0LIMITS' }).find((m) => m.ts === posted.ts)?.text).toHaveLength(
      40_000,
    );
  });
});

/** A trigger_id, minted by a press the way Slack mints one. */
async function triggerId(): Promise<string> {
  const dm = await client.chat.postMessage({ channel: 'U0ALICE', text: 'open', blocks: [actions(button())] });
  await slack.press({ channel: String(dm.channel), ts: String(dm.ts), actionId: 'go', userId: 'U0ALICE' });
  return String(receiver.received.at(-1)?.payload.trigger_id);
}

const modal = (over: Json = {}): Json => ({
  type: 'modal',
  title: plain('Edit'),
  submit: plain('Send'),
  close: plain('Cancel'),
  blocks: [section('hello')],
  ...over,
});

const VIEW_LIMITS: { limit: string; at: Json; over: Json; pointer: string }[] = [
  {
    limit: '100 blocks',
    at: modal({ blocks: times(100, (i) => section(`${i}`)) }),
    over: modal({ blocks: times(101, (i) => section(`${i}`)) }),
    pointer: '/view/blocks',
  },
  {
    limit: 'title 24',
    at: modal({ title: plain('t'.repeat(24)) }),
    over: modal({ title: plain('t'.repeat(25)) }),
    pointer: '/view/title',
  },
  {
    limit: 'submit 24',
    at: modal({ submit: plain('s'.repeat(24)) }),
    over: modal({ submit: plain('s'.repeat(25)) }),
    pointer: '/view/submit',
  },
  {
    limit: 'close 24',
    at: modal({ close: plain('c'.repeat(24)) }),
    over: modal({ close: plain('c'.repeat(25)) }),
    pointer: '/view/close',
  },
  {
    limit: 'private_metadata 3,000',
    at: modal({ private_metadata: 'm'.repeat(3000) }),
    over: modal({ private_metadata: 'm'.repeat(3001) }),
    pointer: '/view/private_metadata',
  },
  {
    limit: 'action_id unique within the view',
    at: modal({ blocks: [actions(button()), actions(button({ action_id: 'other' }))] }),
    over: modal({ blocks: [actions(button()), actions(button())] }),
    pointer: '/view/blocks/1/elements/0/action_id',
  },
];

describe('views (views.open, views.update)', () => {
  it.each(VIEW_LIMITS)(
    '$limit: opened at the limit, invalid_arguments one over',
    async ({ at, over, pointer }) => {
      const trigger = await triggerId();
      const opened = await client.apiCall('views.open', { trigger_id: trigger, view: at });
      expect(opened.ok).toBe(true);
      const count = slack.views().length;

      const refused = await refusal(client.apiCall('views.open', { trigger_id: trigger, view: over }));
      expect(refused.error).toBe('invalid_arguments');
      expect(refused.messages).toContainEqual(expect.stringContaining(`[json-pointer:${pointer}]`));
      expect(slack.views()).toHaveLength(count);

      const viewId = String((opened as { view?: { id?: string } }).view?.id);
      const update = await refusal(client.apiCall('views.update', { view_id: viewId, view: over }));
      expect(update.error).toBe('invalid_arguments');
      expect(slack.views().find((v) => v.id === viewId)?.view).toMatchObject({
        title: (at as { title: Json }).title,
      });
    },
  );
});

describe('a view submission answered with a view', () => {
  it('refuses a replacing view over the limits, leaving the modal as it was', async () => {
    const opened = await client.apiCall('views.open', { trigger_id: await triggerId(), view: modal() });
    const viewId = String((opened as { view?: { id?: string } }).view?.id);
    appAnswer = {
      status: 200,
      body: JSON.stringify({ response_action: 'update', view: modal({ title: plain('t'.repeat(25)) }) }),
    };
    try {
      await expect(slack.submitView({ viewId, userId: 'U0ALICE', values: {} })).rejects.toThrow(
        /invalid_arguments: must be less than 25 characters \[json-pointer:\/view\/title\]/,
      );
    } finally {
      appAnswer = { status: 200, body: '' };
    }
    expect(slack.views().find((v) => v.id === viewId)).toMatchObject({
      view: { title: plain('Edit') },
      closed: false,
    });
  });
});

describe('what the app may change, and who may press', () => {
  it('refuses chat.update and chat.delete on a message a person wrote: cant_update_message, unchanged', async () => {
    const reply = slack.postAs({ userId: 'U0BOB', channel: 'C0LIMITS', text: 'a customer reply' });
    const update = await refusal(
      client.chat.update({ channel: 'C0LIMITS', ts: reply.ts, text: 'rewritten' }),
    );
    expect(update.error).toBe('cant_update_message');
    expect((await refusal(client.chat.delete({ channel: 'C0LIMITS', ts: reply.ts }))).error).toBe(
      'cant_delete_message',
    );
    expect(slack.messages({ channel: 'C0LIMITS' }).find((m) => m.ts === reply.ts)).toMatchObject({
      text: 'a customer reply',
      edits: 0,
    });
    const history = await client.conversations.history({ channel: 'C0LIMITS', limit: 1 });
    expect(history.messages?.[0]).toMatchObject({ user: 'U0BOB' });
    expect(history.messages?.[0]?.bot_id).toBeUndefined();
  });

  it('refuses a DM button pressed by someone outside the DM, and sends the app nothing', async () => {
    const dm = await client.chat.postMessage({
      channel: 'U0ALICE',
      text: 'yours',
      blocks: [actions(button())],
    });
    const sent = receiver.received.length;
    await expect(
      slack.press({ channel: String(dm.channel), ts: String(dm.ts), actionId: 'go', userId: 'U0BOB' }),
    ).rejects.toThrow(/is the DM with U0ALICE; U0BOB cannot see it/);
    const group = await client.conversations.open({ users: 'U0ALICE,U0BOB' });
    const inGroup = await client.chat.postMessage({
      channel: String(group.channel?.id),
      text: 'ours',
      blocks: [actions(button())],
    });
    const press = (userId: string) =>
      slack.press({ channel: String(inGroup.channel), ts: String(inGroup.ts), actionId: 'go', userId });
    await expect(press('U0CAROL')).rejects.toThrow(/U0CAROL is not in it/);
    expect(receiver.received).toHaveLength(sent);
    expect((await press('U0BOB')).status).toBe(200);
    expect(receiver.received).toHaveLength(sent + 1);
  });

  it('refuses over-limit blocks posted to a response_url, leaving the message as it was', async () => {
    const dm = await client.chat.postMessage({
      channel: 'U0ALICE',
      text: 'before',
      blocks: [actions(button())],
    });
    await slack.press({ channel: String(dm.channel), ts: String(dm.ts), actionId: 'go', userId: 'U0ALICE' });
    const responseUrl = String(receiver.received.at(-1)?.payload.response_url);
    const answer = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'after', blocks: [section('x'.repeat(3001))] }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(slack.messages({ user: 'U0ALICE' }).find((m) => m.ts === dm.ts)).toMatchObject({
      text: 'before',
      edits: 0,
    });
  });
});
