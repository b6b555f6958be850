import { WebClient } from '@slack/web-api';
import { QUIET_SLACK_LOGGER } from '../support/slack.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHASES } from '../../lambdas/contract/payloads.ts';
import { DEFAULT_SEVERITIES as SEVERITIES } from '../../lambdas/domain/severity.ts';
import { updateDm } from '../../lambdas/adapters/slack.ts';
import { draftFor } from '../../lambdas/domain/draft-for.ts';
import { renderUpdate } from '../../lambdas/domain/index.ts';
import { SECTION_TEXT_LIMIT } from '../../lambdas/domain/slack-sections.ts';
import type { BroadcastRecord } from '../../lambdas/domain/records/broadcast.ts';
import type { IncidentRecord } from '../../lambdas/domain/records/incident.ts';
import { parseRoster, personById, type Account, type Roster } from '../../lambdas/domain/roster.ts';
import { MAX_TITLE_CHARS, MAX_UPDATE_CHARS } from '../../lambdas/handlers/http/pagerduty-webhook/events.ts';
import { withOutcome } from '../../lambdas/messages/ask-outcome.ts';
import { askDraftDm, ownerDm, OWNER_BUTTONS } from '../../lambdas/messages/ask-to-send.ts';
import { progressText, summaryText } from '../../lambdas/messages/broadcast-progress.ts';
import { reviewDm } from '../../lambdas/messages/cmoc-review.ts';
import { editView, sentAsEdited } from '../../lambdas/messages/edit-modal.ts';
import { postNotice } from '../../lambdas/services/delivery/broadcast-notices.ts';
import { postToCustomer } from '../../lambdas/services/delivery/slack-post.ts';
import { startSlackStandIn, type SlackStandIn } from '../../local/slack/index.ts';
import { startReceiver } from '../local/slack/receiver.ts';
import { rosterWithAccounts } from '../support/rosters.ts';

/**
 * Our messages at their largest, posted by the real client into the Slack stand-in, which refuses what
 * Slack refuses (local/slack/limits.ts): an owner with 60 accounts of long names, every template with the
 * longest facts we accept, and a 500-channel broadcast that failed everywhere. A refusal fails the test.
 */
const TOKEN = 'xoxb-largest';
const SECRET = 'signing-secret-largest';
const OWNER = 'ada';
const CMOC = 'ines';
const CUSTOMER_CHANNEL = 'C0CUSTOMER';

/** Words (not one unbroken run) of exactly `length` characters, starting with `label`. */
const words = (label: string, length: number): string =>
  `${label} ${'lorem ipsum dolor '.repeat(Math.ceil(length / 18))}`
    .slice(0, length)
    .trimEnd()
    .padEnd(length, 'x');

let slack: SlackStandIn;
let web: WebClient;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let roster: Roster;
let accounts: Account[];

beforeAll(async () => {
  const input = rosterWithAccounts(60, { ownerId: OWNER, prefix: 'L' });
  input.accounts = input.accounts.map((a) =>
    a.id.startsWith('l-acct-') ? { ...a, name: words(`Account ${a.id}`, 100) } : a,
  );
  roster = parseRoster(input);
  accounts = roster.accounts.filter((a) => a.id.startsWith('l-acct-'));
  receiver = await startReceiver(SECRET);
  slack = await startSlackStandIn({
    botToken: TOKEN,
    signingSecret: SECRET,
    users: roster.people.map((p) => ({ id: p.slackUserId, name: p.id, realName: p.name, tz: 'UTC' })),
    channels: [{ id: CUSTOMER_CHANNEL, name: 'ext-largest' }],
    interactionsUrl: () => receiver.url,
  });
  web = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, logger: QUIET_SLACK_LOGGER });
});
afterAll(async () => {
  await slack.close();
  await receiver.close();
});

const incident = (): IncidentRecord => ({
  incidentId: 'QLARGEST01',
  title: words('Title', MAX_TITLE_CHARS),
  severity: 'SEV1',
  status: 'triggered',
  services: ['exports'],
  regions: [],
  source: 'pagerduty',
  startedAt: '2026-11-05T15:10:00Z',
  cmocId: CMOC,
  executionName: 'incident-QLARGEST01',
  rounds: 1,
  engineeringUpdate: words('Update', MAX_UPDATE_CHARS),
  rootCause: words('Cause', MAX_UPDATE_CHARS),
});

describe('an owner with 60 affected accounts', () => {
  const ask = () => {
    const owner = personById(roster, OWNER);
    const drafts = accounts.map((a) => draftFor(roster, incident(), 'initial', a, owner));
    return { incident: incident(), phase: 'initial' as const, owner, accounts, drafts };
  };

  it('posts the ask DM, names what fits and counts the rest, and closes it with its outcome', async () => {
    const dm = ownerDm({
      ...ask(),
      actionId: 'act-largest',
      answerBy: new Date('2026-11-05T15:30:00Z'),
      then: 'backup',
    });
    const owner = personById(roster, OWNER);
    const posted = await web.chat.postMessage({ channel: owner.slackUserId, ...dm });
    const intro = JSON.stringify(dm.blocks[1]);
    expect(intro).toContain(accounts[0]?.name);
    expect(intro).toMatch(/ and \d+ more\./);
    expect(intro).not.toContain(accounts[59]?.name);

    const closed = withOutcome(askDraftDm(ask()), '✅ Ada sent it to the accounts.');
    await updateDm(web, { channel: String(posted.channel), ts: String(posted.ts) }, closed);
    expect(slack.messages({ user: owner.slackUserId }).at(-1)?.edits).toBe(1);
  });

  it('posts the ask DM to a regional backup covering the owner', async () => {
    const backup = roster.people.find((p) => p.id !== OWNER && p.id !== CMOC) ?? personById(roster, OWNER);
    const cover = { owner: personById(roster, OWNER), why: words('is on leave', 200) };
    const dm = ownerDm({
      ...ask(),
      owner: backup,
      cover,
      actionId: 'act-cover',
      answerBy: new Date(),
      then: 'cmoc',
    });
    await expect(web.chat.postMessage({ channel: backup.slackUserId, ...dm })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('opens the Edit modal for all 60, and shows the longest edit once it is sent', async () => {
    const owner = personById(roster, OWNER);
    const dm = ownerDm({ ...ask(), actionId: 'act-edit', answerBy: new Date(), then: 'backup' });
    const posted = await web.chat.postMessage({ channel: owner.slackUserId, ...dm });
    const ref = { channel: String(posted.channel), ts: String(posted.ts) };
    await slack.press({ ...ref, actionId: OWNER_BUTTONS.edit, userId: owner.slackUserId });
    const triggerId = String(receiver.received.at(-1)?.payload.trigger_id);
    const view = editView({
      actionId: 'act-edit',
      body: 'x'.repeat(5000),
      accounts: accounts.map((a) => a.name),
      hasSms: true,
    });
    await expect(web.views.open({ trigger_id: triggerId, view })).resolves.toMatchObject({ ok: true });

    // 3,000 characters of one-letter lines: quoting adds a ">" to each, and the whole must still fit.
    const sent = sentAsEdited({
      presser: owner,
      coveredFor: undefined,
      pressedAt: '2026-11-05T15:20:00Z',
      findings: 3,
      text: 'a\n'.repeat(1500),
    });
    const decided = withOutcome(
      { text: sent.summary, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: sent.summary } }] },
      sent.outcome,
    );
    await updateDm(web, ref, decided);
  });

  it('posts the CMOC review quoting the longest draft', async () => {
    const cmoc = personById(roster, CMOC);
    const { drafts } = ask();
    const round = {
      incidentId: 'QLARGEST01',
      round: 1,
      phase: 'initial' as const,
      roundKey: 'QLARGEST01-round-1',
      draftedAt: '2026-11-05T15:12:00Z',
      owners: [OWNER],
      accountIds: accounts.map((a) => a.id),
    };
    const longest = drafts.reduce((a, b) => (b.slack.text.length > a.slack.text.length ? b : a));
    const review = reviewDm({
      incident: incident(),
      round,
      preview: longest.slack.text,
      goesAt: new Date(),
      actionId: 'act-review',
    });
    await expect(web.chat.postMessage({ channel: cmoc.slackUserId, ...review })).resolves.toMatchObject({
      ok: true,
    });
  });
});

describe('the longest template', () => {
  const facts = {
    id: 'QLARGEST01',
    title: words('Title', MAX_TITLE_CHARS),
    services: ['exports'],
    startedAt: '2026-11-05T15:10:00Z',
    resolvedAt: '2026-11-05T18:47:00Z',
    feature: words('feature', 200),
    symptom: words('symptom', MAX_UPDATE_CHARS),
    impact: words('impact', MAX_UPDATE_CHARS),
    rootCause: words('cause', MAX_UPDATE_CHARS),
    engineeringUpdate: words('update', MAX_UPDATE_CHARS),
    writeUpUrl: `https://status.example.example/${'w'.repeat(300)}`,
    recurred: true,
    maintenance: { system: words('system', 200), start: '2026-11-07T02:00:00Z', end: '2026-11-07T04:00:00Z' },
  };
  const rendered = PHASES.flatMap((phase) =>
    SEVERITIES.map((severity) =>
      renderUpdate({
        phase,
        channel: 'slack',
        incident: { ...facts, severity },
        account: { name: words('Account', 200), greeting: words('Greeting', 190) },
        sender: { name: words('Sender', 100) },
        company: words('Company', 100),
      }),
    ),
  );
  const longest = rendered.reduce((a, b) => (b.text.length > a.text.length ? b : a));

  it('is more than one section could hold', () => {
    expect(longest.text.length).toBeGreaterThan(SECTION_TEXT_LIMIT);
  });

  it.each(rendered.map((m) => ({ template: m.template, severity: m.severity, message: m })))(
    '$template ($severity) goes into a customer channel whole',
    async ({ message }) => {
      const ts = await postToCustomer(web, {
        channel: CUSTOMER_CHANNEL,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
        username: 'Sender',
        tag: { kind: 'update', incidentId: 'QLARGEST01', round: 1, accountId: 'l-acct-0001' },
      });
      const stored = slack.messages({ channel: CUSTOMER_CHANNEL }).find((m) => m.ts === ts);
      expect(stored?.text).toBe(message.text);
      // Split only where a paragraph was too long: every word is still there, in order.
      const shown = (message.blocks ?? []).map((b) => b.text.text).join(' ');
      expect(shown.replace(/\s+/g, ' ')).toBe(message.text.replace(/\s+/g, ' '));
    },
  );
});

describe('a 500-channel broadcast', () => {
  const broadcast = (): BroadcastRecord => ({
    broadcastId: 'b-largest',
    text: words('Broadcast', 3000),
    filter: {},
    requestedBy: CMOC,
    reason: 'security',
    createdAt: '2026-11-05T15:00:00Z',
    status: 'finished',
    total: 500,
    withoutSlack: accounts.map((a) => a.id),
  });

  it('posts the summary of 500 failures whole, listing 20 and counting the rest', async () => {
    const failures = Array.from({ length: 500 }, (_, i) => ({
      accountId: accounts[i % accounts.length]?.id ?? 'l-acct-0001',
      error: words('slack: channel_not_found', 200),
    }));
    const progress = { sent: 0, failed: 500, pending: 0, total: 500, done: 500 };
    const text = summaryText(broadcast(), roster, progress, failures);
    const cmoc = personById(roster, CMOC);
    const posted = await postNotice(web, { channel: cmoc.slackUserId, text, unfurl_links: false });
    expect(slack.messages({ user: cmoc.slackUserId }).find((m) => m.ts === posted.ts)?.text).toBe(text);
    expect(text).toContain('…and 480 more (see the log export)');
    expect(text).toContain(' and 40 more.');
  });

  it('posts the progress message quoting the longest broadcast text', async () => {
    const progress = { sent: 240, failed: 2, pending: 258, total: 500, done: 242, etaSeconds: 600 };
    const text = progressText(broadcast(), roster, progress, false);
    const posted = await postNotice(web, { channel: CUSTOMER_CHANNEL, text, unfurl_links: false });
    expect(slack.messages({ channel: CUSTOMER_CHANNEL }).find((m) => m.ts === posted.ts)?.text).toBe(text);
  });
});
