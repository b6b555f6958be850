import { get } from 'node:http';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../local/driver.ts';
import { startSlackStandIn, type SlackStandIn } from '../../../local/slack/index.ts';
import { renderContent } from '../../../local/slack/page/content.ts';
import { mrkdwn } from '../../../local/slack/page/mrkdwn.ts';
import { Workspace } from '../../../local/slack/workspace.ts';
import { startReceiver } from './receiver.ts';

/**
 * The Slack stand-in's page over HTTP, as the browser gets it: Block Kit drawn as Slack draws it, one
 * person's view of the workspace, selects and modals sent to the app as Slack sends them, and the
 * `changed` events that keep an open page current. (The whole flow in a browser: page.browser.test.ts.)
 */
const TOKEN = 'xoxb-page-test';
const SECRET = 'page-signing-secret';
const USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Am', tz: 'America/New_York' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Backup', tz: 'Europe/London' },
  { id: 'U0CARL', name: 'carl', realName: 'Carl Cmoc', tz: 'Europe/London' },
];
const MEMBERS: Record<string, string[]> = { C0ACME: ['U0ALICE', 'U0CARL'], C0GLOBEX: ['U0CARL'] };

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
    channels: [
      { id: 'C0ACME', name: 'ext-acme' },
      { id: 'C0GLOBEX', name: 'ext-globex' },
      { id: 'C0QUIET', name: 'ext-quiet' },
    ],
    interactionsUrl: () => receiver.url,
    page: {
      links: () => [{ label: 'Mail (SES)', url: 'http://127.0.0.1:1/' }],
      channelMembers: (id) => MEMBERS[id],
    },
  });
  client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
});
afterAll(async () => {
  await slack.close();
  await receiver.close();
});

const content = async (userId: string) => (await fetch(`${slack.url}/ui/content?as=${userId}`)).text();
const names = { user: (id: string) => USERS.find((u) => u.id === id)?.realName, channel: () => 'ext-acme' };

describe('mrkdwn as Slack shows it', () => {
  it('formats bold, italic, strike, code, quotes, lists, links, mentions and channels', () => {
    const html = mrkdwn(
      names,
      '*Sev1* _now_ ~old~ `x<y`\n>*quoted*\n>second\n• one\n- two\nsee <https://a.example/?q=1&amp;r=2|the page> <@U0BOB> <#C0ACME>',
    );
    expect(html).toContain('<strong>Sev1</strong> <em>now</em> <del>old</del> <code>x&lt;y</code>');
    expect(html).toContain('<blockquote><strong>quoted</strong><br>second</blockquote>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html).toContain(
      '<a href="https://a.example/?q=1&amp;r=2" target="_blank" rel="noreferrer">the page</a>',
    );
    expect(html).toContain('@Bob Backup');
    expect(html).toContain('#ext-acme');
  });

  it('escapes what the caller wrote, and leaves a word with an asterisk inside alone', () => {
    const html = mrkdwn(names, '<script>alert(1)</script> "quote" 2*3*4 <javascript:alert(1)|click>');
    expect(html).not.toMatch(/<script|<a /);
    expect(html).toContain('&quot;quote&quot;');
    expect(html).toContain('2*3*4');
  });
});

describe('one person’s view', () => {
  it('shows their DMs first, their own notes only, the channels they are in, and folds the empty ones', async () => {
    await client.chat.postMessage({
      channel: 'U0ALICE',
      text: 'fallback text',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Alice’s ask' } }],
    });
    await client.chat.postMessage({ channel: 'U0BOB', text: 'For Bob only' });
    await client.chat.postEphemeral({ channel: 'C0ACME', user: 'U0ALICE', text: 'A note for Alice' });
    await client.chat.postEphemeral({ channel: 'C0ACME', user: 'U0CARL', text: 'A note for Carl' });
    await client.chat.postMessage({ channel: 'C0ACME', text: 'Hey *Acme*' });
    await client.chat.postMessage({ channel: 'C0GLOBEX', text: 'Hey Globex' });

    const alice = await content('U0ALICE');
    expect(alice).toContain('Alice’s ask');
    // Blocks are what Slack shows; the text is only the notification's fallback.
    expect(alice).not.toContain('fallback text');
    expect(alice).not.toContain('For Bob only');
    expect(alice).toContain('A note for Alice');
    expect(alice).toContain('Only visible to you');
    expect(alice).not.toContain('A note for Carl');
    expect(alice).toContain('Hey <strong>Acme</strong>');
    expect(alice).not.toContain('Hey Globex');
    expect(alice.indexOf('data-channel="DU0ALICE"')).toBeLessThan(alice.indexOf('data-channel="C0ACME"'));
    expect(alice).toMatch(
      /<details class="quiet"><summary>1 channel without messages<\/summary><ul><li>#ext-quiet/,
    );

    const carl = await content('U0CARL');
    expect(carl).toContain('Hey Globex');
    expect(carl).toContain('A note for Carl');
    expect(carl).not.toContain('A note for Alice');
  });

  it('shows their App Home when the app published one, and nobody else’s', () => {
    const ws = new Workspace({
      teamId: 'T1',
      teamDomain: 'x',
      botUserId: 'UB',
      botId: 'B',
      appId: 'A',
      botName: 'app',
    });
    for (const user of USERS) ws.addUser(user);
    const home = {
      type: 'home',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Waiting for you' } }],
    };
    const homes = new Map<string, unknown>([['U0ALICE', { id: 'V1', view: home }]]);
    Reflect.set(ws, 'homeViews', homes);
    expect(renderContent(ws, {}, 'U0ALICE')).toContain(
      '<h3>App Home</h3><div class="header">Waiting for you</div>',
    );
    expect(renderContent(ws, {}, 'U0BOB')).not.toContain('App Home');
    // With the stand-in's Home side there: the tab can be opened, and a Home's buttons pressed as Home presses.
    expect(renderContent(ws, {}, 'U0BOB', true)).toContain('action="/ui/home/open"');
    homes.set('U0CARL', {
      id: 'V2',
      hash: 'h',
      view: {
        type: 'home',
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'owner:send', text: { type: 'plain_text', text: 'Send' } },
            ],
          },
        ],
      },
    });
    expect(renderContent(ws, {}, 'U0CARL', true)).toMatch(
      /<input type="hidden" name="home" value="1"><button class="btn" data-action="owner:send">Send<\/button>/,
    );
  });

  it('links the other local pages from the header', async () => {
    const html = await (await fetch(`${slack.url}/?as=U0CARL`)).text();
    expect(html).toContain('<a href="http://127.0.0.1:1/" target="_blank" rel="noreferrer">Mail (SES)</a>');
    expect(html).toContain('<option value="U0CARL" selected>');
  });
});

describe('selects and modals', () => {
  it('sends a select choice as a block_actions with the selected option', async () => {
    const posted = await client.chat.postMessage({
      channel: 'U0CARL',
      text: 'severity',
      blocks: [
        {
          type: 'actions',
          block_id: 'sev:act-9',
          elements: [
            {
              type: 'static_select',
              action_id: 'severity',
              initial_option: { text: { type: 'plain_text', text: 'SEV2' }, value: 'SEV2' },
              options: ['SEV1', 'SEV2'].map((s) => ({ text: { type: 'plain_text', text: s }, value: s })),
            },
          ],
        },
      ],
    });
    expect(await content('U0CARL')).toMatch(
      /<select name="selected"[^>]*>.*<option value="SEV2" selected>SEV2<\/option>/,
    );
    const form = new URLSearchParams({
      channel: 'DU0CARL',
      ts: posted.ts ?? '',
      actionId: 'severity',
      userId: 'U0CARL',
      selected: 'SEV1',
    });
    const answer = await fetch(`${slack.url}/ui/press`, {
      method: 'POST',
      body: form,
      headers: { accept: 'application/json' },
    });
    expect(await answer.json()).toMatchObject({ ok: true });
    expect(receiver.received.at(-1)?.payload).toMatchObject({
      type: 'block_actions',
      actions: [
        {
          type: 'static_select',
          action_id: 'severity',
          block_id: 'sev:act-9',
          selected_option: { value: 'SEV1' },
        },
      ],
    });
    const refused = new URLSearchParams({ ...Object.fromEntries(form), selected: 'SEV9' });
    const bad = await fetch(`${slack.url}/ui/press`, {
      method: 'POST',
      body: refused,
      headers: { accept: 'application/json' },
    });
    expect(bad.status).toBe(400);
    const refusal = (await bad.json()) as { ok?: boolean; said?: string };
    expect(refusal.ok).toBe(false);
    expect(refusal.said).toContain('no option SEV9');
  });

  it('draws the open modal, submits its fields as Slack does, shows errors with the text kept, then closes', async () => {
    const posted = await client.chat.postMessage({
      channel: 'U0ALICE',
      text: 'ask',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'edit', text: { type: 'plain_text', text: 'Edit' } }],
        },
      ],
    });
    await slack.press({ channel: 'DU0ALICE', ts: posted.ts ?? '', actionId: 'edit', userId: 'U0ALICE' });
    const trigger = String(receiver.received.at(-1)?.payload.trigger_id);
    const opened = await client.views.open({
      trigger_id: trigger,
      view: {
        type: 'modal',
        callback_id: 'edit',
        title: { type: 'plain_text', text: 'Edit the update' },
        submit: { type: 'plain_text', text: 'Send' },
        blocks: [
          {
            type: 'input',
            block_id: 'draft',
            label: { type: 'plain_text', text: 'Update' },
            element: {
              type: 'plain_text_input',
              action_id: 'text',
              multiline: true,
              initial_value: 'Hello <b>',
            },
          },
          {
            type: 'input',
            block_id: 'confirm',
            optional: true,
            label: { type: 'plain_text', text: 'Tone' },
            element: {
              type: 'checkboxes',
              action_id: 'anyway',
              options: [{ text: { type: 'plain_text', text: 'Send anyway' }, value: 'yes' }],
            },
          },
        ],
      },
    });
    const viewId = opened.view?.id ?? '';
    const shown = await content('U0ALICE');
    expect(shown).toContain(
      '<textarea id="draft::text" name="draft::text" rows="8">Hello &lt;b&gt;</textarea>',
    );
    expect(await content('U0BOB')).not.toContain('modal-backdrop');

    appAnswer = () => ({
      status: 200,
      body: JSON.stringify({ response_action: 'errors', errors: { draft: 'Tone check: vague' } }),
    });
    const submit = (fields: [string, string][]) =>
      fetch(`${slack.url}/ui/submit`, {
        method: 'POST',
        body: new URLSearchParams([['viewId', viewId], ['userId', 'U0ALICE'], ...fields]),
        headers: { accept: 'application/json' },
      });
    expect((await submit([['draft::text', 'We are seeing issues']])).status).toBe(400);
    expect(receiver.received.at(-1)?.payload).toMatchObject({
      type: 'view_submission',
      view: {
        id: viewId,
        state: {
          values: {
            draft: { text: { type: 'plain_text_input', value: 'We are seeing issues' } },
            confirm: { anyway: { type: 'checkboxes', selected_options: [] } },
          },
        },
      },
    });
    const withError = await content('U0ALICE');
    expect(withError).toContain('Tone check: vague');
    expect(withError).toContain('>We are seeing issues</textarea>');

    appAnswer = () => ({ status: 200, body: '' });
    expect(
      (
        await submit([
          ['draft::text', 'We are seeing issues'],
          ['confirm::anyway', 'yes'],
        ])
      ).status,
    ).toBe(200);
    expect(receiver.received.at(-1)?.payload).toMatchObject({
      view: { state: { values: { confirm: { anyway: { selected_options: [{ value: 'yes' }] } } } } },
    });
    expect(await content('U0ALICE')).not.toContain('modal-backdrop');
  });
});

describe('live updates', () => {
  it('tells an open page that the workspace changed', async () => {
    let seen = '';
    let type: string | undefined;
    const stream = get(`${slack.url}/events`, (res) => {
      type = res.headers['content-type'];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (seen += chunk));
    });
    try {
      await waitFor('the stream to open', () => (seen.includes('retry:') ? true : undefined), 30_000);
      expect(type).toBe('text/event-stream');
      await client.chat.postMessage({ channel: 'C0ACME', text: 'A change' });
      await waitFor('a changed event', () => (seen.includes('data: changed') ? true : undefined), 30_000);
    } finally {
      stream.destroy();
    }
  });
});
