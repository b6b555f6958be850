import type { StateVisit } from '../local/stepfunctions/types.ts';

/**
 * AWS's execution-history size and billed state transitions, modelled from the states an execution
 * visited (docs/architecture.md, "Counting history events"). The local interpreter's own log is not AWS's history, so budgets are checked on
 * this model. Per visit:
 *
 *   execution                      2  (ExecutionStarted, ExecutionSucceeded|Failed|…)
 *   Pass, Choice, Wait, Succeed    2  (…StateEntered, …StateExited)
 *   Fail                           1  (FailStateEntered; the execution's end is counted above)
 *   Lambda task                    5  (TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded|Failed, TaskStateExited)
 *   callback (.waitForTaskToken)   6  (adds TaskSubmitted; TaskTimedOut replaces TaskSucceeded)
 *   startExecution.sync            6  (TaskSubmitted as for a callback)
 *   startExecution                 5  (like a Lambda task)
 *   each retry attempt            +3  (TaskScheduled, TaskStarted and its outcome again)
 *   Map, Parallel                  4  (…Entered, …Started, …Succeeded, …Exited) + 2 per iteration/branch
 *
 * A task that fails and is caught is counted with its exit event too: the model errs on the high side.
 * A child execution's events are in the child's history, so a startExecution task counts only its own.
 * Transitions (billing, $0.025 per 1,000): one per state entered, retries included.
 */
export interface HistoryModel {
  events: number;
  transitions: number;
}

const EXECUTION_EVENTS = 2;
const RETRY_EVENTS = 3;

export function eventsOfVisit(visit: StateVisit): number {
  switch (visit.type) {
    case 'Pass':
    case 'Choice':
    case 'Wait':
    case 'Succeed':
      return 2;
    case 'Fail':
      return 1;
    case 'Map':
      return 4 + 2 * (visit.iterations ?? 0);
    case 'Parallel':
      return 4 + 2 * (visit.branches ?? 0);
    case 'Task':
      return taskEvents(visit) + RETRY_EVENTS * visit.retries;
  }
}

function taskEvents(visit: StateVisit): number {
  switch (visit.taskKind) {
    case 'callback':
    case 'startExecutionSync':
      return 6;
    case 'wait':
      return 2;
    default:
      return 5;
  }
}

/** The model for one execution's visits (from `engine.visitedStates(arn)`). */
export function modelHistory(visits: readonly StateVisit[]): HistoryModel {
  let events = EXECUTION_EVENTS;
  let transitions = 0;
  for (const visit of visits) {
    events += eventsOfVisit(visit);
    transitions += 1 + visit.retries;
  }
  return { events, transitions };
}

/**
 * A Distributed Map runs each item as a child execution with a history of its own (docs/architecture.md,
 * "Counting history events"); the local interpreter runs it inline, so the visits of one execution hold
 * the children's states too. The parent keeps the Map's 6 events (…StateEntered, …StateStarted,
 * MapRunStarted, MapRunSucceeded, …StateSucceeded, …StateExited) and no per-item events.
 */
const DISTRIBUTED_MAP_EVENTS = 6;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every state nested in a Distributed Map, with that Map's name; the Map itself must be outermost. */
export function distributedScopes(definition: Json): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (states: unknown, inMap: string | undefined, nested: boolean) => {
    if (!isObject(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) continue;
      if (inMap) found.set(name, inMap);
      const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : undefined;
      const config = processor && isObject(processor.ProcessorConfig) ? processor.ProcessorConfig : {};
      const distributed = config.Mode === 'DISTRIBUTED';
      // The interpreter numbers iterations by the outermost Map only, so children are told apart by it.
      if (distributed && nested)
        throw new Error(`history model: Distributed Map "${name}" inside another Map is not modelled`);
      if (processor) walk(processor.States, inMap ?? (distributed ? name : undefined), true);
      for (const branch of Array.isArray(state.Branches) ? state.Branches : [])
        if (isObject(branch)) walk(branch.States, inMap, true);
    }
  };
  walk(definition.States, undefined, false);
  return found;
}

export interface ExecutionsModel {
  /** The execution itself, a Distributed Map counted as its map run. */
  parent: HistoryModel;
  /** One per item of every Distributed Map run, in order. */
  children: HistoryModel[];
  /** Billed over parent and children. */
  transitions: number;
}

/** The model for one execution's visits, each Distributed Map item counted as the child AWS runs. */
export function modelExecutions(visits: readonly StateVisit[], definition: Json): ExecutionsModel {
  const scopes = distributedScopes(definition);
  const own: StateVisit[] = [];
  const children = new Map<string, StateVisit[]>();
  let run = 0;
  let extraParentEvents = 0;
  for (const visit of visits) {
    const map = scopes.get(visit.name);
    if (map === undefined) {
      own.push(visit);
      if (visit.type === 'Map' && definitionIsDistributed(definition, visit.name)) {
        run += 1;
        extraParentEvents += DISTRIBUTED_MAP_EVENTS - eventsOfVisit(visit);
      }
      continue;
    }
    const key = `${run}:${visit.mapIndex ?? 0}`;
    children.set(key, [...(children.get(key) ?? []), visit]);
  }
  const parent = modelHistory(own);
  parent.events += extraParentEvents;
  const models = [...children.values()].map((v) => modelHistory(v));
  return {
    parent,
    children: models,
    transitions: parent.transitions + models.reduce((sum, m) => sum + m.transitions, 0),
  };
}

function definitionIsDistributed(definition: Json, name: string): boolean {
  const state = isObject(definition.States) ? definition.States[name] : undefined;
  const processor = isObject(state) && isObject(state.ItemProcessor) ? state.ItemProcessor : undefined;
  return isObject(processor?.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
}
