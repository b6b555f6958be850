import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { affectedAccounts, ownersOf, personById, whoIsAsked } from '../../../lambdas/domain/index.ts';
import { incidentNow } from '../../../lambdas/domain/records/incident.ts';
import type { SlackStandIn, StoredMessage } from '../../../local/slack/index.ts';
import { waitFor } from '../../../local/driver.ts';
import {
  actionItem as getAction,
  interaction,
  pagerDutyEvent,
  postPagerDuty,
  postSlack,
  settled,
  tableCount,
} from '../../support/frontdoors.ts';
import {
  buttonsOf,
  buttonValue,
  hasButton,
  noteTo,
  notesTo,
  ownerDmsFor,
  pressOn,
  recipientOf,
} from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * POST /slack/interactions: the owner's DM buttons, who may press them, and the Edit modal with its tone
 * check — through the Slack stand-in, which sends signed payloads the way Slack does (response_url,
 * trigger_id, views).
 */
let h: World;
let slack: SlackStandIn;
let dms: StoredMessage[];
const incidentId = 'QBUTTONS001';

beforeAll(async () => {
  h = await startWorld({ timeScale: 1 });
  slack = h.runtime.slack!;
  const trigger = pagerDutyEvent('incident.triggered', incidentId, {
    priority: { id: 'PPRIO01', type: 'priority_reference', summary: 'P1' },
  });
  expect((await postPagerDuty(h, trigger)).status).toBe(202);
  // Who is asked depends on the clock (PTO, working hours), and the example roster's owners span every
  // region, so some are off-hours at any instant: the incident runs on its own clock, a Wednesday at
  // 14:45 UTC, when most of its owners are at work and nobody's hours start or end for 45 minutes. Set
  // before the CMOC starts comms, so before anyone is asked.
  const { getIncident, updateIncident } = await import('../../../lambdas/adapters/incidents.ts');
  await updateIncident(incidentId, {
    clock: { at: '2026-11-18T14:45:00.000Z', origin: new Date().toISOString(), rate: 1 },
  });
  const incident = await getIncident(incidentId);
  const roster = h.runtime.roster;
  const cmoc = personById(roster, incident.cmocId);
  // The owners asked themselves, by the rule the live ask follows; the others' accounts go to a backup.
  const affected = affectedAccounts(roster, { services: incident.services, regions: incident.regions });
  const asksOwn = [...ownersOf(affected).keys()]
    .map((id) => personById(roster, id))
    .filter(
      (owner) =>
        whoIsAsked({ roster, owner, at: incidentNow(incident, Date.now()), cmoc }).steps[0]?.role === 'owner',
    );
  // Every owner's own DM (a backup covering someone gets a "please cover" DM instead).
  const ownDms = () =>
    slack
      .messages()
      .filter(
        (m) => m.channel.startsWith('D') && hasButton(m, 'owner:send') && !/please cover/i.test(m.text ?? ''),
      );
  await ownerDmsFor(h, 'Dashboards in the EU region', asksOwn.length);
  await waitFor(`${asksOwn.length} owners' own DMs`, () =>
    ownDms().length >= asksOwn.length ? true : undefined,
  );
  dms = await settled('the owner DMs', ownDms);
  expect(new Set(dms.map((dm) => recipientOf(h, dm).id))).toEqual(new Set(asksOwn.map((p) => p.id)));
  expect(dms.length).toBeGreaterThanOrEqual(4); // the tests below use four owners' DMs
  // Owners whose accounts have a Slack channel last: the edit test reads the edited text in those channels.
  const inSlack = (dm: StoredMessage) =>
    h.runtime.roster.accounts.some(
      (a) => a.ownerId === recipientOf(h, dm).id && a.slackChannelId && a.services.includes('query'),
    );
  dms = [...dms.filter((dm) => !inSlack(dm)), ...dms.filter(inSlack)];
  expect(inSlack(dms[3]!)).toBe(true);
});
afterAll(async () => {
  await h?.close();
});

const valueOf = (m: StoredMessage) => buttonValue(m, 'owner:send')!;
const current = (dm: StoredMessage) => slack.messages({ channel: dm.channel }).find((m) => m.ts === dm.ts)!;
const customerPosts = () => slack.messages().filter((m) => m.channel.startsWith('C') && !m.ephemeralTo);
/** A roster person who was asked nothing in this incident. */
const stranger = () =>
  h.runtime.roster.people.find((p) => !dms.some((dm) => slack.dmUser(dm.channel) === p.slackUserId))!;

/** Waits until the action behind a button is done (a press completes it in its follow-up). */
const doneAction = (actionId: string) =>
  waitFor(`action ${actionId} to be done`, async () => {
    const item = await getAction(h, actionId);
    return item?.status === 'done' ? item : undefined;
  });

/** Waits until a round has recorded an update its owner sent by hand ("Sent myself"). */
function handRecorded(): Promise<true> {
  const engine = h.runtime.stepFunctions.engine;
  const rounds = h.runtime.incidentStateMachineArn.replace(/:incident$/, ':update-round');
  return waitFor('the round to record the update sent by hand', async () => {
    for (const round of await engine.listExecutions({ stateMachineArn: rounds })) {
      const visits = engine.visitedStates(round.executionArn);
      if (visits.some((v) => v.name === 'Record that it was sent by hand' && v.outcome === 'succeeded'))
        return true;
    }
    return undefined;
  });
}

describe('the owner buttons', () => {
  it('every owner DM offers Send, Sent myself, Can’t and Edit, each carrying only an opaque action id', () => {
    for (const dm of dms) {
      expect(buttonsOf(dm).map((b) => b.actionId)).toEqual(
        expect.arrayContaining(['owner:send', 'owner:sent_myself', 'owner:cant', 'owner:edit']),
      );
      for (const b of buttonsOf(dm)) expect(b.value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it('a press by the owner completes it; the DM then shows who did what and when, with no buttons', async () => {
    const dm = dms[0]!;
    const owner = recipientOf(h, dm);
    const answer = await pressOn(h, dm, 'owner:sent_myself', owner.slackUserId);
    expect(answer.status).toBe(200);
    const updated = await waitFor('the DM to show the decision', () => {
      const m = current(dm);
      return m.edits > 0 ? m : undefined;
    });
    expect(buttonsOf(updated)).toEqual([]);
    const shown = JSON.stringify(updated.blocks);
    expect(shown).toMatch(new RegExp(`${owner.name} sent it themselves at \\d\\d:\\d\\d UTC`));
    expect(shown).toContain('Draft'); // the draft stays readable
    expect((await getAction(h, valueOf(dm)))?.status).toBe('done');
  });

  it('a second press of the same button says who already answered and changes nothing', async () => {
    const dm = dms[0]!;
    const owner = recipientOf(h, dm);
    // The first press is recorded in the log by the round after the press answered: count once that is done.
    await handRecorded();
    const seen = notesTo(h, owner.id).length;
    const posts = customerPosts().length;
    const items = await tableCount(h);
    // The owner's Slack client still shows the old message: replay the press as it would arrive.
    const replay = await interaction(h, pressPayload(owner.slackUserId, dm, 'owner:send', valueOf(dm)));
    expect(replay.status).toBe(200);
    const note = await noteTo(h, owner.id, /already handled/i, seen);
    expect(note.text).toContain(`${owner.name} chose "sent_myself"`);
    expect(customerPosts()).toHaveLength(posts);
    expect(await tableCount(h)).toBe(items);
    expect((await getAction(h, valueOf(dm)))?.decision).toBe('sent_myself');
  });

  it('a press by anyone else is refused with "assigned to <owner>" and changes nothing', async () => {
    const dm = dms[1]!;
    const owner = recipientOf(h, dm);
    const other = stranger();
    // The draft forwarded into a shared channel: the other person can see and press its buttons.
    slack.addChannel({ id: 'C0WARROOM1', name: 'inc-war-room' });
    const web = new WebClient('xoxb-local-stand-in', { slackApiUrl: slack.apiUrl });
    const forwarded = await web.chat.postMessage({
      channel: 'C0WARROOM1',
      text: dm.text ?? '',
      ...(dm.blocks ? { blocks: dm.blocks } : {}),
    });
    const seen = notesTo(h, other.id).length;
    const answer = await slack.press({
      channel: 'C0WARROOM1',
      ts: forwarded.ts!,
      actionId: 'owner:send',
      userId: other.slackUserId,
    });
    expect(answer.status).toBe(200);
    const note = await noteTo(h, other.id, /assigned to/i, seen);
    expect(note.text).toContain(`assigned to ${owner.name}`);
    expect(note.channel).toBe('C0WARROOM1');
    expect((await getAction(h, valueOf(dm)))?.status).toBe('pending');
    expect(hasButton(current(dm), 'owner:send')).toBe(true);
    // Edit is refused the same way, before any modal opens.
    const views = slack.views().length;
    await slack.press({
      channel: 'C0WARROOM1',
      ts: forwarded.ts!,
      actionId: 'owner:edit',
      userId: other.slackUserId,
    });
    await noteTo(h, other.id, /assigned to/i, seen + 1);
    expect(slack.views()).toHaveLength(views);
  });

  it('a press after the request expired is refused and changes nothing', async () => {
    const dm = dms[2]!;
    const owner = recipientOf(h, dm);
    await h.db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: `ACTION#${valueOf(dm)}`, sk: 'META' },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60 },
      }),
    );
    const seen = notesTo(h, owner.id).length;
    await pressOn(h, dm, 'owner:send', owner.slackUserId);
    // A late press on an owner's ask is told who has it now; with no later ask recorded yet, that it has
    // gone on to the backup or the CMOC.
    const note = await noteTo(h, owner.id, /too late/i, seen);
    expect(note.text).toMatch(/timed out.*regional backup or the CMOC.*Nothing changed/);
    expect((await getAction(h, valueOf(dm)))?.status).toBe('pending');
  });

  it('a button value that is no action at all is refused as no longer valid', async () => {
    const dm = dms[3]!;
    const owner = recipientOf(h, dm);
    for (const value of ['', 'x'.repeat(2000), 'AAAAAAAAAAAAAAAAAAAAAA', '../../etc']) {
      const seen = notesTo(h, owner.id).length;
      const out = await interaction(h, pressPayload(owner.slackUserId, dm, 'owner:send', value));
      expect(out.status).toBe(200);
      await noteTo(h, owner.id, /no longer valid/i, seen);
    }
  });

  it('interactions it does not handle are answered 200 and ignored', async () => {
    const user = { id: dms[3] ? slack.dmUser(dms[3].channel)! : 'U0', name: 'x' };
    for (const payload of [
      { type: 'shortcut', user, callback_id: 'x', trigger_id: '1.2.3' },
      { type: 'view_closed', user, view: { id: 'V1', callback_id: 'owner:edit' } },
      { type: 'block_actions', user, actions: [{ action_id: 'somebody-else:button', value: 'v' }] },
      { type: 'view_submission', user, view: { id: 'V1', callback_id: 'not-ours', state: { values: {} } } },
    ]) {
      const out = await interaction(h, payload);
      expect(out.status).toBe(200);
      expect(out.text).toBe('');
    }
  });
});

describe('the Edit modal and its tone check', () => {
  const modalFor = (userId: string) =>
    waitFor(`an open edit modal for ${userId}`, () =>
      slack
        .views()
        .reverse()
        .find((v) => v.userId === userId && !v.closed && v.view.callback_id === 'owner:edit'),
    );
  const values = (text: string, anyway = false) => ({
    draft: { text: { type: 'plain_text_input', value: text } },
    confirm: {
      anyway: {
        type: 'checkboxes',
        selected_options: anyway ? [{ value: 'send-anyway', text: { type: 'plain_text', text: 'x' } }] : [],
      },
    },
  });

  it('opens prefilled with the draft; findings keep it open; ticking "send anyway" sends the edited text', async () => {
    const dm = dms[3]!;
    const owner = recipientOf(h, dm);
    expect((await pressOn(h, dm, 'owner:edit', owner.slackUserId)).status).toBe(200);
    const modal = await modalFor(owner.slackUserId);
    const input = JSON.stringify(modal.view.blocks);
    expect(input).toMatch(/updates every 30 minutes/); // the drafted SEV1 text
    expect(input).not.toMatch(/Hey /); // the per-account greeting is not part of what is edited

    const edited =
      'We apologize for the inconvenience. Dashboards in the EU load slowly while we roll back a change; ' +
      'next update in 30 minutes.\n\n— ' +
      owner.name;
    const flagged = await slack.submitView({
      viewId: modal.id,
      userId: owner.slackUserId,
      values: values(edited),
    });
    expect(flagged.status).toBe(200);
    const reply = JSON.parse(flagged.body) as { response_action: string; errors: Record<string, string> };
    expect(reply.response_action).toBe('errors');
    expect(reply.errors.draft).toMatch(/Tone check/);
    expect(reply.errors.draft).toMatch(/We apologize for the inconvenience/);
    expect(reply.errors.confirm).toMatch(/tick/i);
    expect(slack.views().find((v) => v.id === modal.id)?.closed).toBe(false);
    expect((await getAction(h, valueOf(dm)))?.status).toBe('pending');

    const sent = await slack.submitView({
      viewId: modal.id,
      userId: owner.slackUserId,
      values: values(edited, true),
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('');
    expect(slack.views().find((v) => v.id === modal.id)?.closed).toBe(true);
    // The modal closes at once; the follow-up completes the ask.
    expect(await doneAction(valueOf(dm))).toMatchObject({ decision: 'send', pressedBy: owner.id });

    // The customers get the owner's words, each under their own greeting.
    const posts = await waitFor('customer posts with the edited text', () => {
      const found = customerPosts().filter((m) => (m.text ?? '').includes('roll back a change'));
      return found.length > 0 ? found : undefined;
    });
    for (const post of posts) {
      const account = h.runtime.roster.accounts.find((a) => a.slackChannelId === post.channel)!;
      expect(post.text).toContain(`Hey ${account.greeting ?? account.name}`);
      expect(post.username).toBe(owner.name);
    }
    const shown = await waitFor('the DM to record the edit', () => {
      const m = current(dm);
      return m.edits > 0 ? m : undefined;
    });
    expect(JSON.stringify(shown.blocks)).toMatch(new RegExp(`${owner.name} edited the draft and sent it`));
    // The spent buttons are gone; only Correct stays, for the update just sent.
    expect(buttonsOf(shown).map((b) => b.actionId)).toEqual(['correct:open']);
  });

  it('a clean edit is sent at once; a submission from someone else is refused inside the modal', async () => {
    const dm = dms[1]!;
    const owner = recipientOf(h, dm);
    await pressOn(h, dm, 'owner:edit', owner.slackUserId);
    const modal = await modalFor(owner.slackUserId);

    const forged = await interaction(h, {
      type: 'view_submission',
      user: { id: stranger().slackUserId },
      view: {
        id: modal.id,
        callback_id: 'owner:edit',
        private_metadata: valueOf(dm),
        state: { values: values('Hijacked text. Next update in 30 minutes.') },
      },
    });
    expect(forged.status).toBe(200);
    expect((JSON.parse(forged.text) as { errors: { draft: string } }).errors.draft).toMatch(/assigned to/);
    expect((await getAction(h, valueOf(dm)))?.status).toBe('pending');

    const clean =
      'Event ingestion in the EU is delayed; I know this blocks your dashboards and it is our top priority. ' +
      'Next update in 30 minutes.\n\n— ' +
      owner.name;
    const out = await slack.submitView({
      viewId: modal.id,
      userId: owner.slackUserId,
      values: values(clean),
    });
    expect(out.status).toBe(200);
    expect(out.body).toBe('');
    expect(await doneAction(valueOf(dm))).toMatchObject({ decision: 'send' });
  });

  it('an empty text is refused inside the modal', async () => {
    const out = await interaction(h, {
      type: 'view_submission',
      user: { id: recipientOf(h, dms[2]!).slackUserId },
      view: {
        id: 'V0',
        callback_id: 'owner:edit',
        private_metadata: valueOf(dms[2]!),
        state: { values: values('   ') },
      },
    });
    const reply = JSON.parse(out.text) as { response_action?: string; errors?: { draft?: unknown } };
    expect(reply.response_action).toBe('errors');
    expect(typeof reply.errors?.draft).toBe('string');
  });
});

describe('who may call: signatures', () => {
  const body = new URLSearchParams({
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: 'U1' },
      actions: [{ action_id: 'owner:send', value: 'x' }],
    }),
  }).toString();
  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['a stale timestamp (6 minutes old)', { timestamp: String(now - 360) }],
    ['a timestamp from the future', { timestamp: String(now + 360) }],
    ['a wrong signing secret', { secret: 'not-the-secret' }],
    ['no signature', { signature: null }],
    ['no timestamp', { timestamp: null }],
  ])('%s → 401', async (_what, options) => {
    const out = await postSlack(h, '/slack/interactions', body, options);
    expect(out.status).toBe(401);
  });

  it('a tampered body → 401', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const { signSlack } = await import('../../../lambdas/adapters/signatures.ts');
    const out = await postSlack(h, '/slack/interactions', body.replace('owner%3Asend', 'owner%3Acant'), {
      timestamp: ts,
      signature: signSlack(body, ts, h.runtime.secrets.slackSigning),
    });
    expect(out.status).toBe(401);
  });
});

function pressPayload(userId: string, dm: StoredMessage, actionId: string, value: string) {
  return {
    type: 'block_actions',
    user: { id: userId },
    channel: { id: dm.channel },
    container: { type: 'message', channel_id: dm.channel, message_ts: dm.ts },
    actions: [{ type: 'button', action_id: actionId, block_id: 'owner-decision', value }],
  };
}
