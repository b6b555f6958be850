import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './table.ts';
import type { LoadedRun, LongRun } from './workflow-runs.ts';
import { AWS_LATENCY_MS, PATH_BUDGET } from './webhook-path.ts';
import { wallRatioRow } from './path-floor.ts';
import { runScript } from './child-process.ts';

/**
 * The workflow's budgets (docs/architecture.md, "Budgets"), on the embedded runtime:
 *
 * 1. A SEV1 from PagerDuty on the 500-account / 50-owner roster at time scale 60: webhook → every owner's
 *    DM; the first round answered at once by every owner, the second answered by nobody (CMOC review,
 *    owner and backup windows run out, all 500 accounts go out as the company) — the largest child.
 * 2. A SEV1 run for 72 hours of its own clock at time scale 1800 (30 minutes of cadence in 1 s), every ask
 *    answered at once, then resolved: the parent history counted in full, not extrapolated. Its rounds
 *    reach one account: the parent's history does not depend on a round's size (each round is a child).
 *    Every scheduled update's first prompt is timed against the moment it was due.
 *
 * History sizes and transitions are modelled from the visited states (bench/history-model.ts).
 */
const RUNS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workflow-runs.ts');

const run = <T>(which: 'loaded' | 'long'): Promise<T> =>
  runScript<T>(RUNS, [which], `the ${which} run`, 900_000);

export async function benchWorkflow(): Promise<BenchRow[]> {
  // Each run gets its own process: the handlers' SDK clients keep the endpoints of the first runtime a
  // process starts, so two runtimes cannot share one.
  const loaded = await run<LoadedRun>('loaded');
  const long = await run<LongRun>('long');
  const perHour = (transitions: number) => 2 * (transitions + long.parentTransitionsPerCycle);
  return [
    {
      name: 'workflow: parent history, SEV1 72 h at 30-min cadence',
      value: long.parentEvents,
      unit: 'events',
      budget: 5000,
      note: `simulated in full: ${long.rounds} rounds, ${long.handoffs} CMOC handoffs; AWS limit 25,000`,
    },
    {
      name: 'workflow: largest round or group history, 500 accounts / 50 owners',
      value: loaded.largestChild,
      unit: 'events',
      // Half of AWS's 25,000: a margin for a round that retries more than this one did.
      budget: 12500,
      note: `nobody answers: review, owner and backup windows, 500 company sends; answered at once: ${loaded.happyChild}`,
    },
    {
      name: 'workflow: state transitions per SEV1 hour, 500 / 50',
      value: Math.round(perHour(loaded.happyTransitions)),
      unit: 'transitions',
      budget: 1000,
      note: `2 rounds/h, owners answer; if nobody ever answers: ${Math.round(perHour(loaded.worstTransitions))}`,
    },
    ...webhookPathRows(loaded),
    {
      name: 'workflow: how late a due update prompt fires (max)',
      value: long.latenessMaxSeconds * 1000,
      unit: 'ms',
      budget: 1000,
      note: `over ${long.latenessSamples} scheduled updates (due → the CMOC's review DM); median ${Math.round(long.latenessMedianSeconds * 1000)} ms`,
    },
  ];
}

/**
 * Webhook → every owner's DM (500 accounts / 50 owners), counted on its critical path: counts do not
 * depend on the machine; the AWS estimate is built from them (bench/webhook-path.ts cites its per-step
 * latencies); the local wall time is shown against a floor measured in the same run (bench/path-floor.ts).
 */
function webhookPathRows(loaded: LoadedRun): BenchRow[] {
  const { path } = loaded;
  const name = (what: string) => `webhook → every owner's DM: ${what}`;
  const l = AWS_LATENCY_MS;
  return [
    {
      name: name('Lambda invocations one after another'),
      value: path.invocations,
      unit: 'calls',
      budget: PATH_BUDGET.invocations,
      digits: 0,
      note: path.steps.join(' → '),
    },
    {
      name: name('state transitions'),
      value: path.transitions,
      unit: 'transitions',
      budget: PATH_BUDGET.transitions,
      digits: 0,
      note: 'parent and round, one owner\'s iteration; the CMOC presses "Start customer comms" at once',
    },
    {
      name: name('DynamoDB round trips'),
      value: path.dynamodb,
      unit: 'calls',
      budget: PATH_BUDGET.dynamodb,
      digits: 0,
    },
    {
      name: name('Slack calls'),
      value: path.slack,
      unit: 'calls',
      budget: PATH_BUDGET.slack,
      digits: 0,
      note: `and ${path.stepfunctions} Step Functions API calls`,
    },
    {
      name: name('AWS estimate'),
      value: path.awsEstimateSeconds,
      unit: 's',
      budget: 2,
      digits: 2,
      note: `per step: Lambda ${l.lambdaInvoke} ms, transition ${l.transition} ms, DynamoDB ${l.dynamodb} ms, Slack ${l.slack} ms, Step Functions API ${l.stepfunctions} ms`,
    },
    wallRatioRow(name('local wall time ÷ floor'), loaded.webhookToDmsSeconds, loaded.floor),
  ];
}
