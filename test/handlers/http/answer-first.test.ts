import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { workingOn } from '../../../lambdas/messages/comms-help.ts';
import { buttonsOf, waitFor } from '../../../local/driver.ts';
import type { RecordedCall } from '../../../local/slack/index.ts';
import {
  incidentExecutions,
  incidentItem,
  pagerDutyEvent,
  postPagerDuty,
  settled,
} from '../../support/frontdoors.ts';
import { pressOn, startCommsAsks } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * The front doors answer first, then finish (docs/architecture.md, "Answer first, then finish"): with the
 * Slack stand-in answering every Web API call 1.5 s late, a button press, `/comms declare` and a PagerDuty
 * webhook still get their answer before the first Slack call made for them has been answered — whatever
 * the handler does with Slack happens after the answer — and the work then completes. An order of events,
 * not a stopwatch: how fast is the bench's to say (bench/front-doors.ts).
 */
const SLACK_DELAY_MS = 1_500;
let h: World;
/** Anyone in the roster may declare. */
let declarer: string;

beforeAll(async () => {
  h = await startWorld({ timeScale: 1, warmLambdas: true });
  declarer = h.roster.people[1]!.slackUserId;
});
afterEach(() => h.slack.setDelay(0));
afterAll(async () => {
  await h?.close();
});

/** Nothing in flight with Slack: every call made so far has been answered, and no new one for a while. */
async function quiet(): Promise<number> {
  return settled('Slack calls', () => {
    const all = h.slack.calls();
    // A call still waiting for its answer keeps this from settling.
    return all.some((c) => !c.answeredAt) ? `in flight at ${Date.now()}` : all.length;
  }).then(() => h.slack.calls().length);
}

/**
 * Sends a request with Slack slow and says, of the Slack calls made after it was sent, which had been
 * answered when its answer came (none, if the handler did not wait on Slack), and then which were made.
 */
async function underSlowSlack<T>(send: () => Promise<T>): Promise<{
  answer: T;
  answeredBefore: RecordedCall[];
  made: () => RecordedCall[];
}> {
  const from = await quiet();
  // Slow from here to the end of the test (afterEach): the work after the answer meets the same Slack.
  h.slack.setDelay(SLACK_DELAY_MS);
  const answer = await send();
  const answeredAt = new Date();
  const answeredBefore = h.slack
    .calls()
    .slice(from)
    .filter((c) => c.answeredAt !== undefined && c.answeredAt <= answeredAt);
  return { answer, answeredBefore, made: () => h.slack.calls().slice(from) };
}

describe('with Slack answering every call 1.5 s late', () => {
  const TITLE = 'Ack-first dashboards';
  let incidentId: string;

  it('/comms declare answers "working on it" before any Slack call for it is answered; the incident is declared', async () => {
    const sent = await underSlowSlack(() =>
      h.slack.command({ userId: declarer, channel: 'C0ACKFIRST', text: `declare SEV2 "${TITLE}" query` }),
    );
    expect(sent.answer.status).toBe(200);
    expect(JSON.parse(sent.answer.body)).toEqual({ response_type: 'ephemeral', text: workingOn('declare') });
    expect(sent.answeredBefore).toEqual([]);

    const reply = await waitFor('the declaration reply on the response_url', () => sent.answer.replies()[0]);
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    incidentId = /Declared \*(S\d{8}-\d{2,})\*/.exec(String(reply.text))?.[1] ?? '';
    expect(incidentId).not.toBe('');
    await waitFor('the incident execution to start', async () =>
      (await incidentExecutions(h)).some((e) => e.name === `incident-${incidentId}`) ? true : undefined,
    );
    // The workflow's own Slack calls (the CMOC's DM) went out after the answer, 1.5 s each.
    await waitFor("the CMOC's DM asking to start comms", () => startCommsAsks(h, TITLE)[0]);
    const made = sent.made().filter((c) => c.answeredAt);
    expect(made.length).toBeGreaterThan(0);
  });

  it('a button press gets its empty 200 before any Slack call for it is answered; the DM then shows the decision', async () => {
    const ask = startCommsAsks(h, TITLE)[0]!;
    const start = buttonsOf(ask).find((b) => b.actionId === 'cmoc:start')!;
    const sent = await underSlowSlack(() => pressOn(h, ask, start.actionId));
    expect(sent.answer).toEqual({ status: 200, body: '' });
    expect(sent.answeredBefore).toEqual([]);

    const updated = await waitFor('the DM to show the decision', () =>
      h.slack.messages({ channel: ask.channel }).find((m) => m.ts === ask.ts && m.edits > 0),
    );
    expect(buttonsOf(updated)).toEqual([]);
    expect(JSON.stringify(updated.blocks)).toMatch(/started customer comms/);
    expect(sent.made().some((c) => c.method === 'chat.update' && c.answeredAt)).toBe(true);
    expect((await incidentItem(h, incidentId))?.commsDecision).toBe('start');
  });

  it('a PagerDuty trigger gets its 202 before any Slack call for it is answered; the incident then starts', async () => {
    const trigger = pagerDutyEvent('incident.triggered', 'QACKFIRST01', {
      title: 'Ack-first PagerDuty',
      priority: { id: 'PPRIO02', type: 'priority_reference', summary: 'P2' },
    });
    const sent = await underSlowSlack(() => postPagerDuty(h, trigger, { settle: false }));
    expect(sent.answer.status).toBe(202);
    expect(sent.answer.json()).toMatchObject({ status: 'accepted', incidentId: 'QACKFIRST01' });
    expect(sent.answeredBefore).toEqual([]);

    await waitFor('the incident execution to start', async () =>
      (await incidentExecutions(h)).some((e) => e.name === 'incident-QACKFIRST01') ? true : undefined,
    );
    expect(await incidentItem(h, 'QACKFIRST01')).toMatchObject({ source: 'pagerduty', severity: 'SEV2' });
    await waitFor(
      "the CMOC's DM about the paged incident",
      () => startCommsAsks(h, 'Ack-first PagerDuty')[0],
    );
  });
});
