import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaultRun } from './fault-run.ts';
import type { BenchRow } from './table.ts';
import { runScript } from './child-process.ts';

/**
 * The product's own faults (README, "Making the steps fail on purpose"): a SEV1 on the 500-account /
 * 50-owner company at time scale 60 while every step's Lambda throws on 20 % and times out on 5 % of its
 * invocations. It must reach its resolution with every customer recipient told each update exactly once —
 * counted in the Slack, SES and Twilio stand-ins against the notification log — and the CMOC told about
 * every step that ran out of retries (counted from the execution histories).
 */
const RUN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fault-run.ts');

const run = (): Promise<FaultRun> => runScript(RUN, [], 'the fault run', 900_000);

export async function benchFaults(): Promise<BenchRow[]> {
  const r = await run();
  const untold = r.exhausted.length - r.toldCmoc;
  const faults = r.injected['throw-before'] + r.injected['throw-after'] + r.injected.timeout;
  return [
    {
      name: 'faults: SEV1 500 / 50, steps throw 20 % + time out 5 %, to resolution',
      value: r.wallSeconds,
      unit: 's',
      ok: r.status === 'SUCCEEDED',
      note: `${r.status}${r.stoppedAt ? ` at ${r.stoppedAt}` : ''}; ${r.rounds} rounds, ${r.expected} (round, recipient) sends${r.withheld ? `, ${r.withheld} of an update the resolution overtook withheld` : ''}; time scale 60`,
    },
    {
      name: 'faults: customer messages beyond one per update',
      value: r.duplicates,
      unit: 'dup',
      budget: 0,
      digits: 0,
      note: 'Slack, SES and Twilio stand-ins, per recipient and round',
    },
    {
      name: 'faults: updates a recipient never got',
      value: r.missed,
      unit: 'missed',
      budget: 0,
      digits: 0,
      note: r.problems.slice(0, 2).join('; '),
    },
    {
      name: 'faults: exhausted steps the CMOC was not told about',
      value: untold,
      unit: 'steps',
      budget: 0,
      digits: 0,
      note: `${r.exhausted.length} exhausted, ${r.toldCmoc} told${r.exhausted.length ? `: ${r.exhausted.slice(0, 4).join(', ')}` : ''}${r.untold.length ? `; not told: ${r.untold.join(', ')}` : ''}`,
    },
    {
      name: 'faults: injected',
      value: faults,
      unit: 'faults',
      digits: 0,
      note: `of ${r.injected.invocations} invocations: ${r.injected['throw-before']} throws before the handler, ${r.injected['throw-after']} after, ${r.injected.timeout} timeouts; ${r.retries} retries`,
    },
    {
      name: 'faults: history events (modelled)',
      value: r.parentEvents,
      unit: 'events',
      digits: 0,
      note: `the incident's own; largest round ${r.largestChildEvents}; ${r.allEvents} over its ${r.executions} executions`,
    },
  ];
}
