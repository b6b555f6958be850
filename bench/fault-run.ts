/**
 * The run behind bench/faults.ts, in its own process (`tsx bench/fault-run.ts`): a SEV1 on the 500-account
 * / 50-owner company while every step's Lambda throws on 20 % and times out on 5 % of its invocations
 * (LAMBDA_FAULTS), from its declaration through two updates to its resolution. Prints one JSON line.
 */
import { runFaultyIncident } from '../test/support/fault-incident.ts';
import { startWorld } from '../test/support/world.ts';
import { modelHistory } from './history-model.ts';
import { benchRoster } from './workflow-world.ts';
import { printResultAndExit } from './child-process.ts';

export const FAULTS = '*=0.2,*=timeout:0.05';
export const FAULT_SEED = 500;
/** 10:00 in New York, 15:00 in London, 00:00 in Tokyo. */
const AT = '2026-11-18T15:00:00.000Z';

export type FaultRun = Awaited<ReturnType<typeof faultyIncident>>;

export async function faultyIncident() {
  const world = await startWorld({
    roster: benchRoster(),
    timeScale: 60,
    lambdaFaults: FAULTS,
    faultSeed: FAULT_SEED,
    warmLambdas: true,
  });
  try {
    const { executions, ...report } = await runFaultyIncident(world, {
      incidentId: 'QBENCHFAULTS',
      updates: 2,
      at: AT,
      services: ['ingestion'],
      timeoutMs: 400_000,
    });
    const events = executions.map((e) => modelHistory(e.visits).events);
    return {
      ...report,
      exhausted: report.exhausted.map((s) => `${s.state} (${s.error})`),
      untold: report.untold.map((s) => `${s.state} (${s.error})`),
      parentEvents: events[0] ?? 0,
      largestChildEvents: Math.max(0, ...events.slice(1)),
      allEvents: events.reduce((a, b) => a + b, 0),
      executions: executions.length,
    };
  } finally {
    await world.close();
  }
}

// Run as a script only (bench/faults.ts imports nothing but types from here).
if (process.argv[1]?.endsWith('fault-run.ts')) {
  printResultAndExit(faultyIncident());
}
