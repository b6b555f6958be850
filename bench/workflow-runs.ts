/**
 * The two runs behind bench/workflow.ts, one per process (`tsx bench/workflow-runs.ts loaded|long`); each
 * prints its measurements as one JSON line.
 */
import { cmocAt, parseRoster } from '../lambdas/domain/index.ts';
import { executionNameFor } from '../lambdas/contract/execution-names.ts';
import { pagerDutyEvent, postPagerDuty, waitFor } from '../local/driver.ts';
import type { Runtime } from '../local/runtime.ts';
import { executionArn, type HistoryEvent } from '../local/stepfunctions/index.ts';
import { readFile } from 'node:fs/promises';
import { modelExecutions, modelHistory } from './history-model.ts';
import { criticalPath, pressStartComms, roundsOf, webhookToDmsSeconds } from './webhook-path.ts';
import { asksNow, pathFloor } from './path-floor.ts';
import { record } from './critical-path.ts';
import { autoPress } from '../test/support/slack.ts';
import { startWorld } from '../test/support/world.ts';
import { benchRoster, OWNERS } from './workflow-world.ts';
import { printResultAndExit } from './child-process.ts';

const HOUR = 3_600_000;
const WAIT = 'Wait for the next update or an event';
/** 10:00 in New York, 15:00 in London, 00:00 in Tokyo. */
const LOADED_AT = '2026-11-18T15:00:00.000Z';

export type LoadedRun = Awaited<ReturnType<typeof loadedIncident>>;
export type LongRun = Awaited<ReturnType<typeof seventyTwoHours>>;

const ROUND_STATES = new Set(['Send the initial update', 'Send the scheduled update']);

/**
 * Rounds the incident has run and come back from (parked again after them). Parks alone do not count
 * rounds: a CMOC handoff parks too, and whether one comes between the rounds depends on the wall clock
 * the webhook saw (the CMOC is chosen before the incident's own clock is set).
 */
function roundsDone(runtime: Runtime, arn: string): number {
  const names = runtime.stepFunctions.engine.visitedStates(arn).map((v) => v.name);
  // Every round before the last park has come back from.
  return names.slice(0, Math.max(0, names.lastIndexOf(WAIT))).filter((name) => ROUND_STATES.has(name)).length;
}

export async function loadedIncident() {
  // Handlers imported before the clock starts, as on a warm Lambda.
  const world = await startWorld({ roster: benchRoster(), timeScale: 60, warmLambdas: true });
  const { runtime, slack } = world;
  const incidentId = 'QBENCH500';
  const arn = executionArn('incident', executionNameFor(incidentId));
  try {
    const trigger = await pagerDutyEvent('triggered', incidentId);
    const title = String(trigger.event.data.title);
    const about = (m: { text?: string }) => (m.text ?? '').includes(title);
    const firstUpdate = (m: { text?: string }) => about(m) && /a first update/.test(m.text ?? '');
    const recording = record();
    const started = performance.now();
    const answer = await postPagerDuty(runtime, trigger);
    if (answer.status !== 202)
      throw new Error(`bench: the trigger answered ${answer.status}: ${answer.body}`);
    // Who is asked depends on the clock (owners off-hours go to a regional backup), so the incident runs on
    // a fixed Wednesday: Americas and EMEA owners in hours, APAC owners covered by a backup on shift. Set
    // before the CMOC starts comms, which is when the first asks go out.
    const { updateIncident } = await import('../lambdas/adapters/incidents.ts');
    await updateIncident(incidentId, {
      clock: { at: LOADED_AT, origin: new Date().toISOString(), rate: 60 },
    });
    const cmoc = await pressStartComms(world, about, incidentId);
    // Later rounds' CMOC asks are pressed as they come; the first one is pressed already.
    const stops = [autoPress(world, 'cmoc:start', (m) => about(m) && m.ts !== cmoc.dm.ts)];
    // One DM per owner's accounts, to the owner or to the backup covering them (a backup may get several).
    // Owners answer once every DM is out: their sends are not on the path.
    await waitFor(
      `first-update asks for all ${OWNERS} owners' accounts`,
      () => {
        const asks = slack.messages().filter((m) => m.channel.startsWith('D') && firstUpdate(m));
        return asks.length >= OWNERS ? true : undefined;
      },
      120_000,
    );
    const asks = asksNow(slack.messages().filter((m) => m.channel.startsWith('D') && firstUpdate(m)));
    const path = await criticalPath(world, recording, started, firstUpdate, arn, incidentId);
    const webhookToDms = webhookToDmsSeconds(recording, started, path, cmoc.pressedAt);
    recording.stop();
    stops.push(autoPress(world, 'owner:send', firstUpdate));
    // Round 2 (a scheduled update) is answered by nobody: the most a round ever does.
    await waitFor('two rounds done', () => (roundsDone(runtime, arn) >= 2 ? true : undefined), 240_000);
    for (const stop of stops) stop();
    // After the presses stop: the floor's copies of the DMs must not be pressed.
    const floor = await pathFloor(path, asks, incidentId, arn);
    // A round's groups of owners are a Distributed Map: the round and each group are histories of their own.
    const definition = JSON.parse(
      await readFile(new URL('../statemachines/update-round.asl.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const [happy, worst] = (await roundsOf(runtime, incidentId)).map((v) => modelExecutions(v, definition));
    if (!happy || !worst) throw new Error('bench: expected two rounds');
    const largest = (m: typeof happy) => Math.max(m.parent.events, ...m.children.map((c) => c.events));
    return {
      webhookToDmsSeconds: webhookToDms,
      floor,
      path,
      happyChild: largest(happy),
      largestChild: Math.max(largest(happy), largest(worst)),
      happyTransitions: happy.transitions,
      worstTransitions: worst.transitions,
    };
  } finally {
    await world.close();
  }
}

export async function seventyTwoHours() {
  const scale = 1800;
  const world = await startWorld({ roster: benchRoster(), timeScale: scale });
  const { runtime } = world;
  const engine = runtime.stepFunctions.engine;
  const incidentId = 'QBENCH72H';
  const arn = executionArn('incident', executionNameFor(incidentId));
  const at = '2026-11-18T15:00:00.000Z';
  const title = 'Bench 72 hours';
  const about = (m: { text?: string }) => (m.text ?? '').includes(title);
  const stops = ['cmoc:start', 'owner:send'].map((id) => autoPress(world, id, about));
  try {
    const { declareIncident } = await import('../lambdas/adapters/incident-lifecycle.ts');
    const roster = parseRoster(benchRoster());
    await declareIncident({
      incidentId,
      title,
      severity: 'SEV1',
      status: 'triggered',
      services: ['solo'],
      regions: [],
      source: 'slack',
      startedAt: at,
      cmocId: cmocAt(roster, new Date(at)).person.id,
      executionName: executionNameFor(incidentId),
      rounds: 0,
      clock: { at, origin: new Date().toISOString(), rate: scale },
    });
    const end = Date.now() + (72 * HOUR) / scale;
    await waitFor('72 hours on the incident clock', () => (Date.now() >= end ? true : undefined), 200_000);
    const resolved = await postPagerDuty(runtime, await pagerDutyEvent('resolved', incidentId));
    if (resolved.status !== 202) throw new Error(`bench: resolving answered ${resolved.status}`);
    await engine.waitForStatus(arn, 'SUCCEEDED', 120_000);
    const visits = engine.visitedStates(arn);
    const model = modelHistory(visits);
    const rounds = visits.filter((v) => ROUND_STATES.has(v.name)).length;
    const lateness = await promptLateness(runtime, arn, scale, about);
    const sorted = [...lateness].sort((a, b) => a - b);
    return {
      parentEvents: model.events,
      rounds,
      handoffs: visits.filter((v) => v.name === "Hand over to the next region's CMOC").length,
      parentTransitionsPerCycle: model.transitions / Math.max(1, rounds),
      latenessSamples: sorted.length,
      latenessMaxSeconds: (sorted.at(-1) ?? Number.NaN) / 1000,
      latenessMedianSeconds: (sorted[Math.floor(sorted.length / 2)] ?? Number.NaN) / 1000,
    };
  } finally {
    for (const stop of stops) stop();
    await world.close();
  }
}

/**
 * For every wait that ended because an update was due: when it was due (the wait's start plus its scaled
 * timeout) and when the first prompt about the incident (the CMOC's review DM) reached Slack.
 */
async function promptLateness(
  runtime: Runtime,
  arn: string,
  scale: number,
  about: (m: { text?: string }) => boolean,
): Promise<number[]> {
  const history: HistoryEvent[] = await runtime.stepFunctions.engine.history(arn);
  const dms = runtime
    .slack!.messages()
    .filter((m) => m.channel.startsWith('D') && about(m))
    .map((m) => m.postedAt.getTime())
    .sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < history.length; i++) {
    const entered = history[i]!;
    if (entered.stateEnteredEventDetails?.name !== WAIT) continue;
    const next = (
      JSON.parse(String(entered.stateEnteredEventDetails.input)) as {
        next: { due: string; waitSeconds: number };
      }
    ).next;
    const startedAt = history
      .slice(i)
      .find((e) => e.type === 'TaskStarted')
      ?.timestamp.getTime();
    const ended = history.slice(i).find((e) => e.type === 'TaskTimedOut' || e.type === 'TaskSucceeded');
    if (next.due !== 'update' || startedAt === undefined || ended?.type !== 'TaskTimedOut') continue;
    const due = startedAt + (next.waitSeconds * 1000) / scale;
    const prompt = dms.find((t) => t >= due);
    if (prompt !== undefined) out.push(prompt - due);
  }
  return out;
}

// Run as a script only (bench/workflow.ts imports nothing but types from here).
const which = process.argv[2];
const work = which === 'loaded' ? loadedIncident() : which === 'long' ? seventyTwoHours() : undefined;
if (!work) {
  console.error('usage: tsx bench/workflow-runs.ts loaded|long');
  process.exit(2);
}
printResultAndExit(work);
