import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandIn } from '../../../local/slack/index.ts';
import type { SlackStandIn } from '../../../local/slack/index.ts';
import { startReceiver } from './receiver.ts';

const TOKEN = 'xoxb-local-test';
const SECRET = 'signing-secret-for-tests';
const USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Am', tz: 'America/New_York' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob <Backup>', tz: 'Europe/London' },
];
const DRAFT_BLOCKS = [
  { type: 'section', text: { type: 'mrkdwn', text: 'Draft for *Acme*: checkout is down' } },
  {
    type: 'actions',
    block_id: 'draft-actions',
    elements: [
      {
        type: 'button',
        action_id: 'send',
        text: { type: 'plain_text', text: 'Send' },
        value: 'act-1',
        style: 'primary',
      },
      { type: 'button', action_id: 'cannot', text: { type: 'plain_text', text: "I can't" }, value: 'act-2' },
    ],
  },
];

let slack: SlackStandIn;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let client: WebClient;
let appAnswer: (payload: Record<string, unknown>) => { status: number; body: string } = () => ({
  status: 200,
  body: '',
});

beforeAll(async () => {
  receiver = await startReceiver(SECRET, (p) => appAnswer(p));
  slack = await startSlackStandIn({
    botToken: TOKEN,
    signingSecret: SECRET,
    users: USERS,
    channels: [{ id: 'C0INCIDENT', name: 'incident-comms' }],
    interactionsUrl: () => receiver.url,
  });
  client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
});
afterAll(async () => {
  await slack.close();
  await receiver.close();
});

async function postDraft(channel = 'U0ALICE'): Promise<{ channel: string; ts: string }> {
  const posted = await client.chat.postMessage({ channel, text: 'Draft for Acme', blocks: DRAFT_BLOCKS });
  return { channel: posted.channel ?? '', ts: posted.ts ?? '' };
}

describe('button presses', () => {
  it('sends a signed, form-encoded block_actions payload shaped like Slack', async () => {
    const draft = await postDraft();
    const answer = await slack.press({ ...draft, actionId: 'send', userId: 'U0ALICE' });
    expect(answer.status).toBe(200);
    const got = receiver.received.at(-1);
    const payload = got?.payload as {
      token?: unknown;
      trigger_id?: unknown;
      response_url?: unknown;
      actions?: { action_ts?: unknown }[];
    };
    expect(payload.token).toEqual(expect.anything());
    expect(String(payload.trigger_id)).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    expect(String(payload.response_url)).toContain(`${slack.url}/actions/`);
    expect(String(payload.actions?.[0]?.action_ts)).toMatch(/^\d+\.\d{6}$/);
    expect(got?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(got?.payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: slack.teamId },
      api_app_id: slack.appId,
      container: { type: 'message', message_ts: draft.ts, channel_id: draft.channel, is_ephemeral: false },
      team: { id: slack.teamId },
      channel: { id: draft.channel },
      message: {
        ts: draft.ts,
        text: 'Draft for Acme',
        blocks: [{ type: 'section' }, { type: 'actions', block_id: 'draft-actions' }],
        user: slack.botUserId,
      },
      actions: [
        {
          action_id: 'send',
          block_id: 'draft-actions',
          text: { type: 'plain_text', text: 'Send' },
          value: 'act-1',
          type: 'button',
        },
      ],
    });
  });

  it('is refused by an app holding a different signing secret', async () => {
    const strangers = await startSlackStandIn({
      botToken: TOKEN,
      signingSecret: 'not-the-apps-secret',
      users: USERS,
      interactionsUrl: () => receiver.url,
    });
    try {
      const strangerClient = new WebClient(TOKEN, {
        slackApiUrl: strangers.apiUrl,
        logLevel: LogLevel.ERROR,
      });
      const posted = await strangerClient.chat.postMessage({
        channel: 'U0ALICE',
        text: 'x',
        blocks: DRAFT_BLOCKS,
      });
      const answer = await strangers.press({
        channel: posted.channel ?? '',
        ts: posted.ts ?? '',
        actionId: 'send',
        userId: 'U0ALICE',
      });
      expect(answer.status).toBe(401);
    } finally {
      await strangers.close();
    }
  });

  it('only lets people press what they can see', async () => {
    const draft = await postDraft();
    await expect(slack.press({ ...draft, actionId: 'send', userId: 'U0BOB' })).rejects.toThrow(
      /DM with U0ALICE/,
    );
    await expect(slack.press({ ...draft, actionId: 'nope', userId: 'U0ALICE' })).rejects.toThrow(
      /send, cannot/,
    );
    const eph = await client.chat.postEphemeral({
      channel: 'C0INCIDENT',
      user: 'U0BOB',
      text: 'x',
      blocks: DRAFT_BLOCKS,
    });
    await expect(
      slack.press({ channel: 'C0INCIDENT', ts: eph.message_ts ?? '', actionId: 'send', userId: 'U0ALICE' }),
    ).rejects.toThrow(/ephemeral to U0BOB/);
    await slack.press({
      channel: 'C0INCIDENT',
      ts: eph.message_ts ?? '',
      actionId: 'cannot',
      userId: 'U0BOB',
    });
    const payload = receiver.received.at(-1)?.payload;
    expect(payload).toMatchObject({ container: { is_ephemeral: true }, actions: [{ value: 'act-2' }] });
    expect(payload).not.toHaveProperty('message');
  });
});

describe('response_url', () => {
  async function pressForUrl(): Promise<{ draft: { channel: string; ts: string }; responseUrl: string }> {
    const draft = await postDraft();
    await slack.press({ ...draft, actionId: 'send', userId: 'U0ALICE' });
    return { draft, responseUrl: String(receiver.received.at(-1)?.payload.response_url) };
  }
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('replaces the original message', async () => {
    const { draft, responseUrl } = await pressForUrl();
    const response = await post(responseUrl, { replace_original: true, text: 'Sent to Acme by Alice' });
    expect(response.status).toBe(200);
    const [message] = slack.messages({ channel: draft.channel }).filter((m) => m.ts === draft.ts);
    expect(message).toMatchObject({ text: 'Sent to Acme by Alice', edits: 1 });
    expect(message?.blocks).toBeUndefined();
  });

  it('adds an ephemeral reply by default and deletes the original on request', async () => {
    const { draft, responseUrl } = await pressForUrl();
    await post(responseUrl, { text: 'Only Alice sees this' });
    expect(slack.messages({ text: 'Only Alice sees this' })[0]).toMatchObject({
      channel: draft.channel,
      ephemeralTo: 'U0ALICE',
    });
    await post(responseUrl, { delete_original: true });
    expect(slack.messages({ channel: draft.channel }).find((m) => m.ts === draft.ts)?.deleted).toBe(true);
  });

  it('refuses unknown URLs and empty replies', async () => {
    const { responseUrl } = await pressForUrl();
    expect((await post(responseUrl, {})).status).toBe(400);
    expect((await post(`${slack.url}/actions/${slack.teamId}/1/unknown`, { text: 'x' })).status).toBe(404);
  });
});

describe('modals', () => {
  it('opens a view with a trigger_id from a press and submits it back to the app', async () => {
    const draft = await postDraft();
    await slack.press({ ...draft, actionId: 'cannot', userId: 'U0ALICE' });
    const triggerId = String(receiver.received.at(-1)?.payload.trigger_id);
    const view = {
      type: 'modal' as const,
      callback_id: 'cannot-send',
      title: { type: 'plain_text' as const, text: 'Why not?' },
      submit: { type: 'plain_text' as const, text: 'Hand over' },
      private_metadata: 'act-2',
      blocks: [
        {
          type: 'input',
          block_id: 'reason',
          element: { type: 'plain_text_input', action_id: 'text' },
          label: { type: 'plain_text', text: 'Reason' },
        },
      ],
    };
    await expect(client.views.open({ trigger_id: 'made.up.trigger', view })).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
    const opened = await client.views.open({ trigger_id: triggerId, view });
    const viewId = opened.view?.id ?? '';
    expect(viewId).toMatch(/^V/);
    appAnswer = () => ({
      status: 200,
      body: JSON.stringify({ response_action: 'errors', errors: { reason: 'Say why' } }),
    });
    const values = { reason: { text: { type: 'plain_text_input', value: 'On PTO' } } };
    await slack.submitView({ viewId, userId: 'U0ALICE', values });
    expect(slack.views().find((v) => v.id === viewId)?.closed).toBe(false);
    appAnswer = () => ({ status: 200, body: '' });
    await slack.submitView({ viewId, userId: 'U0ALICE', values });
    expect(receiver.received.at(-1)?.payload).toMatchObject({
      type: 'view_submission',
      user: { id: 'U0ALICE' },
      view: { id: viewId, callback_id: 'cannot-send', private_metadata: 'act-2', state: { values } },
    });
    expect(slack.views().find((v) => v.id === viewId)?.closed).toBe(true);
  });
});

describe('the page', () => {
  it('shows conversations with escaped text and lets a person press a button', async () => {
    await client.chat.postMessage({
      channel: 'C0INCIDENT',
      text: 'Fix &lt;script&gt; by <https://status.example.com|status page>',
    });
    const draft = await postDraft('C0INCIDENT');
    const page = await (await fetch(`${slack.url}/?as=U0BOB`)).text();
    expect(page).toContain('Bob &lt;Backup&gt;');
    // What the page redraws: everything in it came from API callers, so none of it is markup.
    const html = await (await fetch(`${slack.url}/ui/content?as=U0BOB`)).text();
    expect(html).toContain('#incident-comms');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<a href="https://status.example.com"');
    expect(html).toContain('<strong>Acme</strong>');
    expect(html).toMatch(/<form class="press" method="post" action="\/ui\/press">/);
    const before = receiver.received.length;
    const form = new URLSearchParams({ ...draft, actionId: 'send', userId: 'U0BOB' });
    const response = await fetch(`${slack.url}/ui/press`, { method: 'POST', body: form, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain(encodeURIComponent('Pressed'));
    expect(receiver.received.length).toBe(before + 1);
    expect(receiver.received.at(-1)?.payload).toMatchObject({
      user: { id: 'U0BOB' },
      actions: [{ action_id: 'send' }],
    });
  });
});
