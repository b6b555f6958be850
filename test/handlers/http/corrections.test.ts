import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Person } from '../../../lambdas/domain/roster.ts';
import type { LogEntry } from '../../../lambdas/domain/records/notification.ts';
import { whoWasTold } from '../../../lambdas/domain/told.ts';
import { withCorrectButton } from '../../../lambdas/messages/correct-modal.ts';
import { waitFor } from '../../../local/driver.ts';
import { sentEmails } from '../../../local/ses.ts';
import { comms, interaction } from '../../support/frontdoors.ts';
import { pressOn } from '../../support/slack.ts';
import { seedRound } from '../../support/seed.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * Correcting an update that went out, through the front doors and the stand-ins: `/comms correct` and
 * the Correct button open the modal with the text as sent; the tone check keeps it open; the correction
 * edits each customer Slack post in place once, sends each email and SMS recipient one short correction
 * however often it runs, and is logged as correction lines that "who has been told" never counts.
 */
let h: World;
let logOf: (incidentId: string, round?: number) => Promise<LogEntry[]>;
let correctionsOf: (incidentId: string, round?: number) => Promise<LogEntry[]>;
let ada: Person;
let mine: Account[];
const incidentId = 'QCORRECT1';

beforeAll(async () => {
  h = await startWorld();
  ({ logOf, correctionsOf } = await import('../../../lambdas/adapters/notification-log.ts'));
  const { handler: deliver } = await import('../../../lambdas/handlers/steps/deliver-update/handler.ts');
  const { accounts } = await seedRound(h.roster, {
    incidentId,
    severity: 'SEV1',
    services: ['ingestion'],
    round: 1,
  });
  ada = h.roster.people.find((p) => p.id === 'ada')!;
  mine = accounts.filter((a) => a.ownerId === 'ada');
  const sent = await deliver({
    incidentId,
    round: 1,
    ownerId: 'ada',
    senderId: 'ada',
    mode: 'send',
    asCompany: false,
  });
  expect(sent.failed).toBe(0);
});
afterAll(() => h?.close());

const slackChannels = () => mine.flatMap((a) => (a.slackChannelId ? [a.slackChannelId] : []));
const addresses = () => mine.flatMap((a) => a.emails);
const numbers = () => mine.flatMap((a) => (a.tier === 'high-touch' ? a.smsNumbers : []));
const updates = () => h.slack.calls('chat.update').length;
const corrections = async () =>
  (await sentEmails(h.sesUrl)).filter((m) => m.subject.startsWith('Correction:'));
const correctionSms = () => h.twilio.messages().filter((m) => m.body.startsWith('Correction'));
const values = (text: string, anyway = false) => ({
  draft: { text: { type: 'plain_text_input', value: text } },
  confirm: {
    anyway: {
      type: 'checkboxes',
      selected_options: anyway ? [{ value: 'send-anyway', text: { type: 'plain_text', text: 'x' } }] : [],
    },
  },
});
const modalFor = (userId: string, after: number) =>
  waitFor(`a correction modal for ${userId}`, () =>
    h.slack
      .views()
      .slice(after)
      .find((v) => v.userId === userId && !v.closed && v.view.callback_id === 'correct:update'),
  );
/** What a log entry says of a first telling (delivery receipts may still arrive for an SMS meanwhile). */
const firstTelling = (e: LogEntry) => [e.accountId, e.channel, e.recipient, e.status, e.providerId].join('/');
/** The first message after the first `after` whose text matches: what a person was told. */
const said = (pattern: RegExp, after: number) =>
  waitFor(`a message matching ${pattern}`, () =>
    h.slack
      .messages()
      .slice(after)
      .find((m) => pattern.test(m.text ?? '')),
  );
const target = () => JSON.stringify({ incidentId, round: 1, senderId: 'ada' });
const stranger = () => h.roster.people.find((p) => !['ada', 'ines'].includes(p.id))!;

describe('/comms correct and its modal', () => {
  it('opens the last update prefilled; tone findings keep it open; the correction reaches each recipient once', async () => {
    expect(slackChannels().length).toBeGreaterThan(0);
    expect(numbers().length).toBeGreaterThan(0);
    const toldBefore = whoWasTold(
      mine.map((a) => a.id),
      await logOf(incidentId),
    );
    const logBefore = await logOf(incidentId);

    const views = h.slack.views().length;
    const typed = await comms(h, ada.slackUserId, `correct ${incidentId}`);
    expect(typed.reply).toMatch(/Opened the correction of update 1/);
    const modal = await modalFor(ada.slackUserId, views);
    expect(JSON.stringify(modal.view.blocks)).toMatch(/updates every 30 minutes/); // the text as sent

    const flagged = await h.slack.submitView({
      viewId: modal.id,
      userId: ada.slackUserId,
      values: values('We apologize for the inconvenience. Ingestion is delayed; next update in 30 minutes.'),
    });
    const reply = JSON.parse(flagged.body) as { response_action: string; errors: Record<string, string> };
    expect(reply.response_action).toBe('errors');
    expect(reply.errors.draft).toMatch(/Tone check/);
    expect(updates()).toBe(0);

    const fixed =
      'Event ingestion in the EU is delayed by about 20 minutes, not 2 hours as we first wrote. ' +
      'Next update in 30 minutes.';
    const seen = h.slack.messages().length;
    const out = await h.slack.submitView({
      viewId: modal.id,
      userId: ada.slackUserId,
      values: values(fixed),
    });
    expect(out.body).toBe('');
    const told = await said(/Correction sent/, seen);
    expect(told.text).toContain(`${slackChannels().length} Slack post`);

    // Every customer Slack post of the update, edited once in place and marked edited.
    for (const channel of slackChannels()) {
      const posts = h.slack.messages({ channel }).filter((m) => !m.ephemeralTo);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.edits).toBe(1);
      expect(posts[0]!.text).toContain('not 2 hours as we first wrote');
      expect(posts[0]!.text).toMatch(/_\(edited \d\d:\d\d UTC\)_/);
    }
    expect(updates()).toBe(slackChannels().length);
    for (const address of addresses())
      expect((await corrections()).filter((m) => m.destination.to.includes(address))).toHaveLength(1);
    for (const number of numbers()) expect(correctionSms().filter((m) => m.to === number)).toHaveLength(1);

    // Logged as correction lines; the first tellings and who has been told are as they were.
    const lines = await correctionsOf(incidentId, 1);
    expect(lines).toHaveLength(slackChannels().length + addresses().length + numbers().length);
    for (const line of lines) expect(line).toMatchObject({ status: 'sent', senderId: 'ada', round: 1 });
    expect((await logOf(incidentId)).map(firstTelling)).toEqual(logBefore.map(firstTelling));
    expect(
      whoWasTold(
        mine.map((a) => a.id),
        await logOf(incidentId),
      ),
    ).toEqual(toldBefore);
  });

  it('the read API lists the correction lines beside the tellings, and counts the tellings alone', async () => {
    const body = (await (
      await fetch(`${h.runtime.apiUrl}/api/incidents/${incidentId}/notifications`)
    ).json()) as {
      summary: { notified: number; total: number };
      notifications: { kind: string; channel: string; status: string }[];
    };
    const kinds = (kind: string) => body.notifications.filter((r) => r.kind === kind);
    expect(kinds('correction')).toHaveLength((await correctionsOf(incidentId)).length);
    expect(kinds('update')).toHaveLength((await logOf(incidentId)).length);
    expect(body.summary).toMatchObject({ notified: mine.length });
  });

  it('run again with the same text (a repeated follow-up), it edits, mails and texts nobody twice', async () => {
    const { deliverCorrection, sentUpdate } = await import('../../../lambdas/services/corrections.ts');
    const update = await sentUpdate({ incidentId, round: 1, senderId: 'ada' });
    if (typeof update === 'string') throw new Error(update);
    const before = { updates: updates(), mails: (await corrections()).length, sms: correctionSms().length };
    const text =
      'The delay is now 40 minutes; we are moving ingestion to a second cluster. Next update in 30 minutes.';
    const run = () =>
      deliverCorrection({
        roster: h.roster,
        update,
        text,
        by: 'ada',
        at: new Date(),
        deadline: Date.now() + 20_000,
      });
    const first = await run();
    const second = await run();
    expect(first).toMatchObject({ failed: 0, pending: 0, alreadyDone: 0 });
    expect(second.alreadyDone).toBe(slackChannels().length + addresses().length + numbers().length);
    expect(updates() - before.updates).toBe(slackChannels().length);
    expect((await corrections()).length - before.mails).toBe(addresses().length);
    expect(correctionSms().length - before.sms).toBe(numbers().length);
  });

  it('refuses an unknown id, someone who sent nothing, a stranger’s submission and an empty text, changing nothing', async () => {
    const before = {
      updates: updates(),
      mails: (await corrections()).length,
      lines: (await correctionsOf(incidentId)).length,
    };
    expect((await comms(h, ada.slackUserId, 'correct QNOSUCH9')).reply).toBe(
      'There is no incident QNOSUCH9.',
    );
    expect((await comms(h, stranger().slackUserId, `correct ${incidentId}`)).reply).toMatch(
      /You have sent no update in QCORRECT1/,
    );
    const submit = (userId: string, text: string) =>
      interaction(h, {
        type: 'view_submission',
        user: { id: userId },
        view: {
          id: 'V0',
          callback_id: 'correct:update',
          private_metadata: target(),
          state: { values: values(text) },
        },
      });
    const forged = JSON.parse(
      (await submit(stranger().slackUserId, 'Hijacked. Next update in 30 minutes.')).text,
    ) as {
      errors: { draft: string };
    };
    expect(forged.errors.draft).toMatch(/Only Ada .* who sent this update, or the incident's CMOC/);
    const empty = JSON.parse((await submit(ada.slackUserId, '   ')).text) as { errors: { draft: string } };
    expect(empty.errors.draft).toMatch(/Write the corrected update/);
    expect(updates()).toBe(before.updates);
    expect((await corrections()).length).toBe(before.mails);
    expect(await correctionsOf(incidentId)).toHaveLength(before.lines);
  });

  it("the incident's CMOC, who sent nothing, is offered the last update anyone sent", async () => {
    const cmoc = h.roster.people.find((p) => p.id === 'ines')!;
    const views = h.slack.views().length;
    expect((await comms(h, cmoc.slackUserId, `correct ${incidentId}`)).reply).toMatch(
      /Opened the correction of update 1 of \*QCORRECT1\*/,
    );
    const modal = await modalFor(cmoc.slackUserId, views);
    expect(modal.view.private_metadata).toBe(target());
  });

  it('the Correct button on the sent DM opens the same modal for the sender, and refuses anyone else', async () => {
    const web = new WebClient('xoxb-local-stand-in', { slackApiUrl: h.slack.apiUrl });
    const dm = withCorrectButton({ text: 'Sent', blocks: [] }, { incidentId, round: 1, senderId: 'ada' });
    const posted = await web.chat.postMessage({ channel: ada.slackUserId, ...dm });
    const message = h.slack.messages().find((m) => m.ts === posted.ts)!;
    const views = h.slack.views().length;
    expect((await pressOn(h, message, 'correct:open', ada.slackUserId)).status).toBe(200);
    const modal = await modalFor(ada.slackUserId, views);
    expect(JSON.stringify(modal.view.blocks)).toContain('second cluster'); // the latest correction's text

    // A DM is seen by its person alone: the stranger presses the same button where both can see it.
    h.slack.addChannel({ id: 'C0WARROOM1', name: 'inc-war-room' });
    const shared = await web.chat.postMessage({ channel: 'C0WARROOM1', ...dm });
    const inChannel = h.slack.messages().find((m) => m.ts === shared.ts)!;
    const seen = h.slack.messages().length;
    await pressOn(h, inChannel, 'correct:open', stranger().slackUserId);
    const refused = await said(/can correct it\. Nothing changed\./, seen);
    expect(refused.ephemeralTo).toBe(stranger().slackUserId);
    expect(refused.text).toMatch(/^Only Ada /);
  });
});
