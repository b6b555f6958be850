import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandIn } from '../../../local/slack/index.ts';
import type { SlackStandIn } from '../../../local/slack/index.ts';

const TOKEN = 'xoxb-local-test';
const USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Am', tz: 'Europe/London' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Backup', tz: 'Europe/Berlin' },
];

let slack: SlackStandIn;
let client: WebClient;

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string } };
    return e.code === ErrorCode.PlatformError ? `${e.data?.error}` : String(e.code);
  }
  throw new Error('expected the call to fail, it succeeded');
}

beforeAll(async () => {
  slack = await startSlackStandIn({
    botToken: TOKEN,
    signingSecret: 'unused-here',
    users: USERS,
    channels: [{ id: 'C0OLD', name: 'inc-old' }],
    interactionsUrl: () => 'http://127.0.0.1:9/unused',
  });
  client = new WebClient(TOKEN, {
    slackApiUrl: slack.apiUrl,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 0 },
  });
});
afterAll(() => slack.close());

describe('Slack stand-in: channels and pins', () => {
  it('creates a channel under Slack name rules, and refuses a taken or bad name by Slack error name', async () => {
    const made = await client.conversations.create({ name: 'inc-2026-12-03-checkout' });
    expect(made.channel?.name).toBe('inc-2026-12-03-checkout');
    expect(made.channel?.is_archived).toBe(false);
    expect(await slackError(client.conversations.create({ name: 'inc-2026-12-03-checkout' }))).toBe(
      'name_taken',
    );
    expect(await slackError(client.conversations.create({ name: 'Inc-Upper' }))).toBe(
      'invalid_name_specials',
    );
    expect(await slackError(client.conversations.create({ name: 'has space' }))).toBe(
      'invalid_name_specials',
    );
    expect(await slackError(client.conversations.create({ name: 'a'.repeat(81) }))).toBe(
      'invalid_name_maxlength',
    );
    expect(await slackError(client.conversations.create({ name: '' }))).toBe('invalid_name_required');
    expect(await slackError(client.conversations.create({ name: '--' }))).toBe('invalid_name_punctuation');
    const list = await client.conversations.list({ exclude_archived: true });
    expect(list.channels?.map((c) => c.name)).toEqual(['inc-old', 'inc-2026-12-03-checkout']);
  });

  it('invites a comma list; one already in fails with already_in_channel unless forced', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-invites' });
    const id = channel?.id ?? '';
    await client.conversations.invite({ channel: id, users: 'U0ALICE' });
    expect(await slackError(client.conversations.invite({ channel: id, users: 'U0ALICE,U0BOB' }))).toBe(
      'already_in_channel',
    );
    expect((await client.conversations.members({ channel: id })).members).not.toContain('U0BOB');
    await client.conversations.invite({ channel: id, users: 'U0ALICE,U0BOB', force: true });
    expect((await client.conversations.members({ channel: id })).members).toEqual(
      expect.arrayContaining(['U0ALICE', 'U0BOB']),
    );
    expect(await slackError(client.conversations.invite({ channel: id, users: 'U0NOBODY' }))).toBe(
      'user_not_found',
    );
    expect(await slackError(client.conversations.invite({ channel: id, users: slack.botUserId }))).toBe(
      'cant_invite_self',
    );
  });

  it('pins a message once (already_pinned after) and archives once (already_archived, is_archived after)', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-pins' });
    const id = channel?.id ?? '';
    const posted = await client.chat.postMessage({ channel: id, text: 'status' });
    await client.pins.add({ channel: id, timestamp: posted.ts ?? '' });
    expect(await slackError(client.pins.add({ channel: id, timestamp: posted.ts ?? '' }))).toBe(
      'already_pinned',
    );
    expect(await slackError(client.pins.add({ channel: id, timestamp: '1.000001' }))).toBe(
      'message_not_found',
    );
    const pins = await client.pins.list({ channel: id });
    expect(pins.items?.map((i) => (i as { message?: { text?: string } }).message?.text)).toEqual(['status']);
    await client.conversations.archive({ channel: id });
    expect(await slackError(client.conversations.archive({ channel: id }))).toBe('already_archived');
    expect((await client.conversations.info({ channel: id })).channel?.is_archived).toBe(true);
    expect(await slackError(client.conversations.invite({ channel: id, users: 'U0BOB' }))).toBe(
      'is_archived',
    );
    const open = await client.conversations.list({ exclude_archived: true });
    expect(open.channels?.map((c) => c.id)).not.toContain(id);
  });
});
