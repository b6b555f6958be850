import { workingOn } from '../lambdas/messages/comms-help.ts';
import { buttonsOf, pagerDutyEvent, postPagerDuty, waitFor } from '../local/driver.ts';
import type { StoredMessage } from '../local/slack/index.ts';
import { watchInvocations } from '../local/invocations.ts';
import { exampleRoster } from '../test/support/rosters.ts';
import { startWorld, type World } from '../test/support/world.ts';
import type { BenchRow } from './table.ts';

/**
 * The front doors' budgets with a slow Slack (docs/architecture.md, "Answer first, then finish"): the
 * Slack stand-in answers every Web API call 1.5 s late, and a `/comms declare`, the CMOC's "Start customer
 * comms" press and a PagerDuty trigger must still be answered within Slack's 3 s and PagerDuty's 5 s. Each
 * row says how long the answer took (and that as a share of the 1.5 s delay: an answer that waited on one
 * Slack call would be over 1), and the note how long until the work itself was done. The Lambdas are warm
 * (imported before the clock starts): a cold one here compiles TypeScript, which is not what a bundled
 * Lambda's cold start costs (the cold-import rows).
 */
const SLACK_DELAY_MS = 1_500;
const SLACK_BUDGET_MS = 3_000;
const PAGERDUTY_BUDGET_MS = 5_000;

interface Timed {
  answerMs: number;
  doneMs: number;
}

function rows(name: string, timed: Timed, budget: number, done: string): BenchRow[] {
  return [
    {
      name: `${name}: answer, Slack 1.5 s late`,
      value: timed.answerMs,
      unit: 'ms',
      budget,
      digits: 0,
      note: `${(timed.answerMs / SLACK_DELAY_MS).toFixed(2)} × the Slack delay; ${done} after ${(timed.doneMs / 1000).toFixed(1)} s`,
    },
  ];
}

const startAsk = (world: World, title: string): StoredMessage | undefined =>
  world.slack
    .messages()
    .find(
      (m) =>
        m.channel.startsWith('D') &&
        JSON.stringify(m.blocks ?? []).includes(title) &&
        buttonsOf(m).some((b) => b.actionId === 'cmoc:start'),
    );

async function declare(world: World, title: string): Promise<Timed> {
  const declarer = world.roster.people[1]!.slackUserId;
  const t0 = performance.now();
  const out = await world.slack.command({
    userId: declarer,
    channel: 'C0BENCH01',
    text: `declare SEV2 "${title}" query`,
  });
  const answerMs = performance.now() - t0;
  const text = (JSON.parse(out.body) as { text?: string }).text;
  if (out.status !== 200 || text !== workingOn('declare'))
    throw new Error(`/comms declare answered ${out.status} ${out.body}`);
  // Done: the declarer has the result, and the CMOC has been asked to start comms.
  await waitFor('the declaration reply', () => out.replies()[0]);
  await waitFor("the CMOC's ask", () => startAsk(world, title));
  return { answerMs, doneMs: performance.now() - t0 };
}

async function press(world: World, title: string): Promise<Timed> {
  const ask = startAsk(world, title);
  const userId = ask && world.slack.dmUser(ask.channel);
  if (!ask || !userId) throw new Error('no ask to press');
  const t0 = performance.now();
  const out = await world.slack.press({ channel: ask.channel, ts: ask.ts, actionId: 'cmoc:start', userId });
  const answerMs = performance.now() - t0;
  if (out.status !== 200) throw new Error(`the press answered ${out.status} ${out.body}`);
  // Done: the DM shows the decision.
  await waitFor('the DM to show the decision', () =>
    world.slack.messages({ channel: ask.channel }).find((m) => m.ts === ask.ts && m.edits > 0),
  );
  return { answerMs, doneMs: performance.now() - t0 };
}

async function trigger(world: World, title: string): Promise<Timed> {
  const envelope = await pagerDutyEvent('triggered', 'QBENCHDOOR1', { title, priority: { summary: 'P2' } });
  const t0 = performance.now();
  const out = await postPagerDuty(world.runtime, envelope, { settle: false });
  const answerMs = performance.now() - t0;
  if (out.status !== 202) throw new Error(`the webhook answered ${out.status} ${out.body}`);
  // Done: the incident is recorded, its execution started, and the CMOC asked.
  await waitFor("the CMOC's ask about the paged incident", () => startAsk(world, title));
  return { answerMs, doneMs: performance.now() - t0 };
}

/**
 * Lets the work the front doors started run out before the world closes: with Slack slow, the owners' asks
 * are still being posted when the rows are measured, and closing under them has the Slack client warn of
 * every call cut off. Slack answers at once from here; the bound is the driver's own.
 */
async function settle(world: World, running: () => number): Promise<void> {
  world.slack.setDelay(0);
  await waitFor('the Lambdas still running to finish', () => (running() === 0 ? true : undefined)).catch(
    () => undefined,
  );
}

export async function benchFrontDoors(): Promise<BenchRow[]> {
  const world = await startWorld({ roster: exampleRoster(), timeScale: 1, warmLambdas: true });
  let running = 0;
  const unwatch = watchInvocations((_invocation, phase) => (running += phase === 'start' ? 1 : -1));
  try {
    world.slack.setDelay(SLACK_DELAY_MS);
    const title = 'Bench front doors';
    const declared = await declare(world, title);
    const pressed = await press(world, title);
    const paged = await trigger(world, 'Bench front doors (PagerDuty)');
    return [
      ...rows('/comms declare', declared, SLACK_BUDGET_MS, 'the reply and the CMOC’s ask'),
      ...rows('button press (Start customer comms)', pressed, SLACK_BUDGET_MS, 'the DM updated'),
      ...rows('PagerDuty webhook (incident.triggered)', paged, PAGERDUTY_BUDGET_MS, 'the CMOC’s ask'),
    ];
  } finally {
    await settle(world, () => running);
    unwatch();
    await world.close();
  }
}
