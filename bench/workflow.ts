import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './table.ts';
import type { LoadedRun, LongRun } from './workflow-runs.ts';

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

function run<T>(which: 'loaded' | 'long'): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      'npx',
      ['tsx', RUNS, which],
      {
        maxBuffer: 64 * 1024 * 1024,
        timeout: 900_000,
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
      },
      (error, stdout) => {
        if (error) return reject(new Error(`bench: the ${which} run failed: ${error.message}`));
        const last = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(last) as T);
        } catch {
          reject(new Error(`bench: the ${which} run printed no result: ${last.slice(0, 200)}`));
        }
      },
    );
  });
}

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
      name: 'workflow: largest round (child) history, 500 accounts / 50 owners',
      value: loaded.largestChild,
      unit: 'events',
      budget: 25000,
      note: `nobody answers: review, owner and backup windows, 500 company sends; answered at once: ${loaded.happyChild}`,
    },
    {
      name: 'workflow: state transitions per SEV1 hour, 500 / 50',
      value: Math.round(perHour(loaded.happyTransitions)),
      unit: 'transitions',
      budget: 1000,
      note: `2 rounds/h, owners answer; if nobody ever answers: ${Math.round(perHour(loaded.worstTransitions))}`,
    },
    {
      name: "workflow: webhook → every owner's accounts asked (50 DMs)",
      value: loaded.webhookToDmsSeconds,
      unit: 's',
      budget: 2,
      note: 'includes the CMOC pressing "Start customer comms" at once (else the SEV1 5-min hold)',
    },
    {
      name: 'workflow: how late a due update prompt fires (max)',
      value: long.latenessMaxSeconds * 1000,
      unit: 'ms',
      budget: 1000,
      note: `over ${long.latenessSamples} scheduled updates (due → the CMOC's review DM); median ${Math.round(long.latenessMedianSeconds * 1000)} ms`,
    },
  ];
}
