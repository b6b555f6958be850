import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoredMessage } from '../../local/slack/index.ts';
import type { StateVisit } from '../../local/stepfunctions/index.ts';
import type { World } from './world.ts';

/**
 * Which steps of an incident's executions ran out of retries, and which of them the CMOC got a DM about:
 * what the fault runs (fault-incident.ts) report, read from the local engine's visits and the Slack
 * stand-in.
 */
/** A task visit that ended in an error after its retries: what the CMOC must hear about. */
export interface ExhaustedStep {
  executionArn: string;
  state: string;
  error: string;
}

const TASK_KINDS_INVOKING = new Set([
  'lambda',
  'lambdaArn',
  'callback',
  'startExecution',
  'startExecutionSync',
]);

/**
 * Errors each state catches by name (not States.ALL): part of the workflow, not a step running out of
 * retries — a callback's own time-out (nobody answered in time), a retried start finding its execution.
 * Read from the machines' definitions, keyed by machine and state name.
 */
const namedCatches: Map<string, Map<string, Set<string>>> = (() => {
  const byMachine = new Map<string, Map<string, Set<string>>>();
  const dir = fileURLToPath(new URL('../../statemachines/', import.meta.url));
  type Def = { States: Record<string, StateDef> };
  type StateDef = {
    Catch?: { ErrorEquals: string[] }[];
    ItemProcessor?: Def;
    Iterator?: Def;
    Branches?: Def[];
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.asl.json'))) {
    const states = new Map<string, Set<string>>();
    const walk = (def: Def) => {
      for (const [name, state] of Object.entries(def.States)) {
        const named = (state.Catch ?? []).flatMap((c) => c.ErrorEquals).filter((e) => e !== 'States.ALL');
        if (named.length) states.set(name, new Set(named));
        for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])])
          if (inner) walk(inner);
      }
    };
    walk(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Def);
    byMachine.set(file.slice(0, -'.asl.json'.length), states);
  }
  return byMachine;
})();

/** `arn:aws:states:<region>:<account>:execution:<machine>:<name>` → machine. */
const machineOf = (executionArn: string): string => executionArn.split(':').at(-2) ?? '';

/**
 * Steps that ran out of retries: task visits that ended failed or caught, except where the state catches
 * that very error by name (a callback timing out, a start finding its execution already there).
 */
export function exhaustedSteps(executionArn: string, visits: readonly StateVisit[]): ExhaustedStep[] {
  const catches = namedCatches.get(machineOf(executionArn));
  return visits
    .filter((v) => v.type === 'Task' && TASK_KINDS_INVOKING.has(v.taskKind ?? ''))
    .filter((v) => v.outcome === 'failed' || v.outcome === 'caught')
    .filter((v) => !(v.outcome === 'caught' && catches?.get(v.name)?.has(v.error ?? '')))
    .map((v) => ({ executionArn, state: v.name, error: v.error ?? 'unknown' }));
}

/**
 * Default: a DM naming the step and its error, the error in code quotes as the failure DMs show it (so an
 * error named `Error` is not found in `Runtime.ExitError`).
 */
const namesStep = (dm: StoredMessage, step: ExhaustedStep): boolean => {
  const text = `${dm.text ?? ''} ${JSON.stringify(dm.blocks ?? [])}`;
  return text.includes(step.state) && text.includes(`\`${step.error}\``);
};

/** The incident's executions, the steps in them that ran out of retries, and those the CMOC got a DM about. */
export async function cmocTold(
  world: World,
  incidentId: string,
  arn: string,
  tellsAbout?: (dm: StoredMessage, step: ExhaustedStep) => boolean,
) {
  const executions = [arn, ...(await childrenOf(world, incidentId, arn))].map((executionArn) => ({
    executionArn,
    visits: world.engine.visitedStates(executionArn),
  }));
  const exhausted = executions.flatMap((e) => exhaustedSteps(e.executionArn, e.visits));
  const tells = tellsAbout ?? namesStep;
  const cmocs = new Set(world.roster.people.filter((p) => p.id.startsWith('cmoc')).map((p) => p.slackUserId));
  const dms = world.slack
    .messages()
    .filter(
      (m) => m.channel.startsWith('D') && !m.ephemeralTo && cmocs.has(world.slack.dmUser(m.channel) ?? ''),
    );
  // Each DM tells about one step: two failures of one step need two DMs. A DM may fit several steps (the
  // same step of two owners), so steps and DMs are paired as many as can be, not first come first served.
  const paired = matchSteps(exhausted, dms, tells);
  const told = exhausted.filter((_, i) => paired[i]);
  return { executions, exhausted, told };
}

const leftOut = (dm: StoredMessage): boolean => (dm.text ?? '').includes('after its retries and was left out');

/**
 * A largest pairing of steps with DMs that tell about them (augmenting paths; a handful of each): for
 * each step, whether it has a DM of its own.
 */
function matchSteps(
  steps: readonly ExhaustedStep[],
  dms: readonly StoredMessage[],
  tells: (dm: StoredMessage, step: ExhaustedStep) => boolean,
): boolean[] {
  // A step left out that fails again within the hour updates its DM rather than posting another
  // (notify-cmoc's notice key): each version of that DM told about one failure.
  const slots = dms.flatMap((dm) => Array.from({ length: leftOut(dm) ? 1 + dm.edits : 1 }, () => dm));
  const fits = steps.map((step) => slots.flatMap((dm, j) => (tells(dm, step) ? [j] : [])));
  const stepOfDm = new Map<number, number>();
  const place = (i: number, seen: Set<number>): boolean => {
    for (const j of fits[i]!) {
      if (seen.has(j)) continue;
      seen.add(j);
      const holder = stepOfDm.get(j);
      if (holder === undefined || place(holder, seen)) {
        stepOfDm.set(j, i);
        return true;
      }
    }
    return false;
  };
  steps.forEach((_, i) => place(i, new Set()));
  const paired: boolean[] = steps.map(() => false);
  for (const i of stepOfDm.values()) paired[i] = true;
  return paired;
}

/** Every execution the incident started (its rounds, its write-up follow-up), oldest first. */
async function childrenOf(world: World, incidentId: string, parent: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of (await world.engine.listExecutions()).reverse()) {
    if (item.executionArn === parent) continue;
    const { input } = await world.engine.describeExecution({ executionArn: item.executionArn });
    if (input.includes(`"${incidentId}"`)) out.push(item.executionArn);
  }
  return out;
}
