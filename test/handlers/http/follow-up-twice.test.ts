import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsyncEvent } from '../../../local/lambda-api.ts';
import { buttonsOf, waitFor } from '../../../local/driver.ts';
import {
  actionItem,
  comms,
  incidentEvents,
  incidentExecutions,
  pagerDutyEvent,
  postPagerDuty,
  settled,
  tableCount,
} from '../../support/frontdoors.ts';
import { notesTo, pressOn, recipientOf, startCommsAsks } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * Lambda may deliver an asynchronous event more than once, even when nothing failed (docs/architecture.md,
 * "Answer first, then finish"). Each front door's follow-up, delivered again exactly as it was the first
 * time, changes nothing twice.
 */
let h: World;
let lambda: LambdaClient;

beforeAll(async () => {
  h = await startWorld({ timeScale: 1 });
  lambda = new LambdaClient({
    endpoint: h.runtime.endpoints.lambda,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  await h?.close();
});

/** The follow-up events so far, and a way to deliver one again and wait until it has run. */
const followUps = () => h.lambda.asyncEvents();
async function deliverAgain(event: AsyncEvent): Promise<void> {
  const before = followUps().length;
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: event.functionName,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(event.payload)),
    }),
  );
  expect(out.StatusCode).toBe(202);
  await waitFor('the repeated delivery to have run', () => {
    const again = followUps()[before];
    return again && (again.state === 'succeeded' || again.state === 'dead-lettered') ? again : undefined;
  });
}
const followUpOf = (kind: string, since: number) =>
  followUps()
    .slice(since)
    .find((e) => (e.payload as { followUp?: string }).followUp === kind)!;

/** What a repeat could change: the table, the executions, every Slack message and its edits. */
async function footprint() {
  return settled('the product', async () => ({
    items: await tableCount(h),
    executions: (await incidentExecutions(h)).map((e) => e.name).sort(),
    messages: h.slack.messages().map((m) => `${m.channel}/${m.ts}/${m.edits}`),
  }));
}

describe('a follow-up delivered twice', () => {
  const TITLE = 'Twice-delivered dashboards';

  it('PagerDuty: the event is acted on once', async () => {
    const since = followUps().length;
    const trigger = pagerDutyEvent('incident.triggered', 'QTWICE0001', { title: TITLE });
    expect((await postPagerDuty(h, trigger)).outcome).toMatchObject({ action: 'started-execution' });
    await waitFor("the CMOC's ask", () => startCommsAsks(h, TITLE)[0]);
    const before = await footprint();
    await deliverAgain(followUpOf('pagerduty-event', since));
    expect(await footprint()).toEqual(before);
  });

  it('a press: the decision is recorded and signalled once, and the presser told nothing more', async () => {
    const ask = startCommsAsks(h, TITLE)[0]!;
    const cmoc = recipientOf(h, ask);
    const since = followUps().length;
    await pressOn(h, ask, buttonsOf(ask).find((b) => b.actionId === 'cmoc:start')!.actionId);
    await waitFor('the DM to show the decision', () =>
      h.slack.messages({ channel: ask.channel }).find((m) => m.ts === ask.ts && m.edits > 0),
    );
    // What the press touches: its action, the incident's events, what the CMOC is told.
    const value = buttonsOf(ask).find((b) => b.actionId === 'cmoc:start')!.value!;
    const touched = async () => ({
      action: await actionItem(h, value),
      events: (await incidentEvents(h, 'QTWICE0001')).map((e) => e.eventId),
      notes: notesTo(h, cmoc.id).length,
    });
    const before = await settled('the press', touched);
    expect(before.action).toMatchObject({ status: 'done', decision: 'start' });
    await deliverAgain(followUpOf('block-action', since));
    expect(await touched()).toEqual(before);
  });

  it('/comms declare: one incident; the repeat answers with the first', async () => {
    const declarer = h.roster.people[1]!.slackUserId;
    const since = followUps().length;
    const first = await comms(h, declarer, 'declare SEV3 "Twice-declared exports" query', 'C0TWICE01');
    const incidentId = /Declared \*(S\d{8}-\d{2,})\*/.exec(first.reply)?.[1];
    expect(incidentId).toBeDefined();
    const executions = () =>
      incidentExecutions(h).then((all) => all.filter((e) => e.name?.startsWith('incident-S')).length);
    const started = await executions();
    await deliverAgain(followUpOf('command', since));
    expect(await executions()).toBe(started);
  });
});
