/**
 * One round at one company size, for bench/growth.ts (`tsx bench/growth-runs.ts <accounts> <owners>`): a
 * SEV1 from PagerDuty, the CMOC starting comms at once and every owner answering "send" at once, simulated
 * in full on the local runtime. Prints one JSON line: the round's history modelled as AWS keeps it (the
 * round and each group of owners its own child: bench/history-model.ts), the Lambda invocations and
 * DynamoDB reads made while the round ran, how many invocations ran at once, the largest state payload,
 * and the webhook → every owner's DM time with its floor and its critical path (bench/webhook-path.ts).
 */
import { readFile } from 'node:fs/promises';
import { executionNameFor } from '../lambdas/contract/execution-names.ts';
import { RESERVED_CONCURRENCY } from '../lib/concurrency.ts';
import { pagerDutyEvent, postPagerDuty, waitFor } from '../local/driver.ts';
import { executionArn, stateMachineArn, type HistoryEvent } from '../local/stepfunctions/index.ts';
import { autoPress } from '../test/support/slack.ts';
import { startWorld } from '../test/support/world.ts';
import { record, type Call } from './critical-path.ts';
import { modelExecutions, modelHistory } from './history-model.ts';
import { criticalPath, pressStartComms, webhookToDmsSeconds as webhookToDms } from './webhook-path.ts';
import { asksNow, pathFloor } from './path-floor.ts';
import { benchRoster } from './workflow-world.ts';
import { printResultAndExit } from './child-process.ts';

/** 10:00 in New York, 15:00 in London, 00:00 in Tokyo (as bench/workflow-runs.ts). */
const AT = '2026-11-18T15:00:00.000Z';
const READS = /\.(GetItem|BatchGetItem|Query|Scan|TransactGetItems)$/;

export type GrowthRun = Awaited<ReturnType<typeof oneRound>>;

export async function oneRound(accounts: number, owners: number) {
  // Handlers imported before the clock starts, as on a warm Lambda.
  const world = await startWorld({ roster: benchRoster(accounts, owners), timeScale: 60, warmLambdas: true });
  const { runtime, slack } = world;
  const engine = runtime.stepFunctions.engine;
  const incidentId = `QGROW${owners}`;
  const parentArn = executionArn('incident', executionNameFor(incidentId));
  const stops: (() => void)[] = [];
  try {
    const trigger = await pagerDutyEvent('triggered', incidentId);
    const title = String(trigger.event.data.title);
    const firstUpdate = (m: { text?: string }) =>
      (m.text ?? '').includes(title) && /a first update/.test(m.text ?? '');
    const recording = record();
    const started = performance.now();
    const answer = await postPagerDuty(runtime, trigger);
    if (answer.status !== 202) throw new Error(`bench: the trigger answered ${answer.status}`);
    const { updateIncident } = await import('../lambdas/adapters/incidents.ts');
    await updateIncident(incidentId, { clock: { at: AT, origin: new Date().toISOString(), rate: 60 } });
    // The CMOC presses once the execution is parked for their answer (bench/webhook-path.ts).
    const about = (m: { text?: string }) => (m.text ?? '').includes(title);
    const cmoc = await pressStartComms(world, about, incidentId);
    // Later CMOC asks are pressed as they come, as before; the first one is pressed already.
    stops.push(autoPress(world, 'cmoc:start', (m) => about(m) && m.ts !== cmoc.dm.ts));
    const dms = () => slack.messages().filter((m) => m.channel.startsWith('D') && firstUpdate(m));
    await waitFor(
      `first-update asks for all ${owners} owners`,
      () => (dms().length >= owners ? true : undefined),
      300_000,
    );
    const asks = asksNow(dms());
    // Counted before any owner answers: a press changes the DMs the path is traced to.
    const path = await criticalPath(world, recording, started, firstUpdate, parentArn, incidentId);
    const webhookToDmsSeconds = webhookToDms(recording, started, path, cmoc.pressedAt);
    stops.push(autoPress(world, 'owner:send', firstUpdate));
    const roundArn = await waitFor(
      'the first round to start',
      async () => {
        for (const r of await engine.listExecutions({ stateMachineArn: stateMachineArn('update-round') }))
          if ((await engine.describeExecution(r)).input.includes(`"${incidentId}"`)) return r.executionArn;
        return undefined;
      },
      60_000,
    );
    const round = await engine.waitForStatus(
      roundArn,
      ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT'],
      600_000,
    );
    if (round.status !== 'SUCCEEDED') throw new Error(`bench: the round ended ${round.status}`);
    recording.stop();
    for (const stop of stops.splice(0)) stop();
    const floor = await pathFloor(path, asks, incidentId, parentArn);

    const definition = JSON.parse(
      await readFile(new URL('../statemachines/update-round.asl.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const visits = engine.visitedStates(roundArn);
    const model = modelExecutions(visits, definition);
    const from = round.startDate.getTime() - performance.timeOrigin;
    const to = (round.stopDate ?? new Date()).getTime() - performance.timeOrigin;
    const during = recording.invocations.filter((i) => i.startedAt >= from && i.startedAt <= to);
    const ids = new Set(during.map((i) => i.id));
    const ofRound = (c: Call) => c.invocationId !== undefined && ids.has(c.invocationId);
    const functionOf = new Map(during.map((i) => [i.id, i.functionName]));
    const reads = recording.calls.filter(
      (c) => ofRound(c) && c.service === 'dynamodb' && READS.test(c.operation),
    );
    const payloads = [...(await engine.history(roundArn)), ...(await engine.history(parentArn))].map(
      payloadBytes,
    );
    return {
      accounts,
      owners,
      groups: model.children.length,
      roundEvents: model.parent.events,
      largestGroupEvents: Math.max(0, ...model.children.map((c) => c.events)),
      /** The same round kept in one history, as an inline Map of groups kept it. */
      inlineRoundEvents: modelHistory(visits).events,
      roundTransitions: model.transitions,
      roundParentTransitions: model.parent.transitions,
      groupTransitions: model.children.map((c) => c.transitions),
      /** The incident's own execution up to the round's end: its states per cycle, on the high side. */
      incidentTransitions: modelHistory(engine.visitedStates(parentArn)).transitions,
      invocations: during.length,
      byFunction: countBy(during.map((i) => i.functionName)),
      dynamodbReads: reads.length,
      /** Reads per function: deliveries read per account, the rest per owner (bench/growth.ts scales them). */
      readsByFunction: countBy(reads.map((c) => functionOf.get(c.invocationId ?? 0) ?? 'other')),
      peakConcurrent: peak(during.map((i) => [i.startedAt, i.endedAt ?? to] as const)),
      /** The same without the front doors, which AWS holds to their reservations (lib/concurrency.ts). */
      peakSteps: peak(
        during
          .filter((i) => !(i.functionName in RESERVED_CONCURRENCY))
          .map((i) => [i.startedAt, i.endedAt ?? to] as const),
      ),
      largestPayloadBytes: Math.max(...payloads),
      webhookToDmsSeconds,
      floor,
      /** Webhook → the last owner's DM on its critical path, and its AWS estimate (bench/webhook-path.ts). */
      path,
    };
  } finally {
    for (const stop of stops) stop();
    await world.close();
  }
}

/** A state's input or output as AWS measures it against the 256 KiB limit: UTF-8 bytes. */
function payloadBytes(event: HistoryEvent): number {
  let most = 0;
  for (const [key, details] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || !details) continue;
    for (const field of ['input', 'output']) {
      const text = (details as Record<string, unknown>)[field];
      if (typeof text === 'string') most = Math.max(most, Buffer.byteLength(text, 'utf8'));
    }
  }
  return most;
}

/** The most intervals open at one moment. */
function peak(intervals: readonly (readonly [number, number])[]): number {
  const edges = intervals.flatMap(([start, end]) => [[start, 1] as const, [end, -1] as const]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, (open += step));
  return most;
}

function countBy(names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) out[name] = (out[name] ?? 0) + 1;
  return out;
}

// Run as a script only (bench/growth.ts imports nothing but types from here).
const [accounts, owners] = process.argv.slice(2).map(Number);
if (!accounts || !owners) {
  console.error('usage: tsx bench/growth-runs.ts <accounts> <owners>');
  process.exit(2);
}
printResultAndExit(oneRound(accounts, owners));
