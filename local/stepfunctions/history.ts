import type { MapSpec, PreparedMachine } from './definition.ts';
import type { HistoryEvent, StateType, StateVisit } from './types.ts';

/** The subset of the interpreter's EventLog entries this runtime reads (its type is not exported). */
export interface InterpreterEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string; type: string; input?: unknown };
  index?: number;
  Error?: string;
  Cause?: unknown;
}

/** A Standard execution fails when its history would exceed 25,000 events. */
export const MAX_HISTORY_EVENTS = 25_000;

const json = (value: unknown): string => JSON.stringify(value ?? null);

/** Evaluates a reference path such as `$.a.b[0]` or `$['a']` (all Map ItemsPath/InputPath may be). */
export function referencePath(path: string, value: unknown): unknown {
  if (!path.startsWith('$')) return undefined;
  let current = value;
  for (const [, dotted, quoted, index] of path.slice(1).matchAll(/\.([^.[\]]+)|\['([^']*)'\]|\[(\d+)\]/g)) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = dotted ?? quoted ?? Number(index);
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function mapLength(spec: MapSpec | undefined, input: unknown): number {
  const effective =
    spec?.inputPath === null ? {} : spec?.inputPath ? referencePath(spec.inputPath, input) : input;
  const items = spec?.itemsPath ? referencePath(spec.itemsPath, effective) : effective;
  return Array.isArray(items) ? items.length : 0;
}

/** AWS names the details after the event type, except that every …StateEntered/…StateExited shares one. */
function detailsKey(type: string): `${string}EventDetails` {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

const CAN_ABORT: ReadonlySet<StateType> = new Set(['Task', 'Wait', 'Map', 'Parallel']);

/**
 * One execution's AWS-shaped history, built from the interpreter's event log plus the task events this
 * runtime records itself; also the list of state visits the history-size model counts.
 */
export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  readonly visits: StateVisit[] = [];
  /** Visits not yet exited, each with the input object the interpreter entered it with. */
  private readonly open = new Map<StateVisit, unknown>();
  /** Iterations started and not yet finished, per open Map visit. */
  private readonly runningIterations = new Map<StateVisit, Set<number>>();
  private closed = false;

  constructor(
    private readonly machine: PreparedMachine,
    private readonly onEvent: (event: HistoryEvent) => void,
    /** Called instead of appending when only the closing event still fits (AWS then fails the execution). */
    private readonly onLimit: () => void,
  ) {}

  /** Appends an event unless the execution already closed (late events of an aborted run are dropped). */
  append(type: string, details?: Record<string, unknown>, terminal = false): HistoryEvent | undefined {
    if (this.closed) return undefined;
    if (!terminal && this.events.length >= MAX_HISTORY_EVENTS - 1) {
      this.onLimit();
      return undefined;
    }
    if (terminal) this.closed = true;
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: new Date(), type, id, previousEventId: id - 1 };
    if (details) {
      event[detailsKey(type)] = details;
    }
    this.events.push(event);
    this.onEvent(event);
    return event;
  }

  lastEvent(): HistoryEvent | undefined {
    return this.events.at(-1);
  }

  private typeOf(name: string): StateType {
    return this.machine.stateTypes.get(name) ?? 'Task';
  }

  /**
   * The open visit an interpreter event is about. The interpreter numbers events by the outermost Map's
   * iteration only (a Map inside a Map overwrites the inner index), so iterations of one group all look
   * alike by name and index; but every event of one visit carries the very input object the state was
   * entered with, which tells them apart. Name and index are the fallback for inputs that are not objects.
   */
  private openVisit(name: string, input: unknown, index: number | undefined): StateVisit | undefined {
    let byIndex: StateVisit | undefined;
    for (const [visit, entered] of this.open) {
      if (visit.name !== name) continue;
      if (typeof input === 'object' && input !== null && entered === input) return visit;
      if (visit.mapIndex === index) byIndex = visit;
    }
    return byIndex;
  }

  /** Translates one interpreter event; execution-level ones are ignored (the engine records those). */
  record(event: InterpreterEvent): void {
    if (this.closed) return;
    const state = event.state;
    switch (event.type) {
      case 'StateEntered':
        if (state) this.entered(state.name, state.input, event.index);
        break;
      case 'StateExited':
        if (state) this.exited(state.name, state.input, state.output, event.index);
        break;
      case 'StateFailed':
        if (state) this.failed(state.name, event);
        break;
      case 'StateRetried':
      case 'StateCaught': {
        const visit = state && this.openVisit(state.name, state.input, event.index);
        // The interpreter reports StateFailed and then StateRetried: the visit runs again, so a step
        // waiting in its retry (a callback's second attempt, say) is not taken for one that failed.
        if (visit && event.type === 'StateRetried') {
          visit.retries += 1;
          visit.outcome = 'running';
        }
        if (visit && event.type === 'StateCaught') visit.outcome = 'caught';
        break;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.mapIteration(event);
        break;
      case 'ParallelBranchStarted': {
        const visit = event.parentState && this.findOpen(event.parentState.name);
        if (visit) visit.branches = (visit.branches ?? 0) + 1;
        break;
      }
      default:
        break;
    }
  }

  private entered(name: string, input: unknown, index: number | undefined): void {
    const type = this.typeOf(name);
    const spec = this.machine.tasks.get(name);
    const visit: StateVisit = { name, type, retries: 0, outcome: 'running', enteredAt: new Date() };
    if (spec && spec.kind !== 'wait') Object.assign(visit, { resource: spec.resource, taskKind: spec.kind });
    if (spec?.kind === 'wait') visit.taskKind = 'wait';
    if (index !== undefined) visit.mapIndex = index;
    if (type === 'Map') visit.iterations = 0;
    this.visits.push(visit);
    this.open.set(visit, input);
    this.append(`${type}StateEntered`, { name, input: json(input), inputDetails: { truncated: false } });
    if (type === 'Map')
      this.append('MapStateStarted', { length: mapLength(this.machine.maps.get(name), input) });
    if (type === 'Parallel') this.append('ParallelStateStarted');
  }

  private exited(name: string, input: unknown, output: unknown, index: number | undefined): void {
    const type = this.typeOf(name);
    const visit = this.openVisit(name, input, index);
    if (visit) {
      if (visit.outcome === 'running' || visit.outcome === 'failed') visit.outcome = 'succeeded';
      visit.exitedAt = new Date();
      this.open.delete(visit);
      this.runningIterations.delete(visit);
    }
    if (type === 'Map' && visit?.outcome !== 'caught') this.append('MapStateSucceeded');
    if (type === 'Parallel' && visit?.outcome !== 'caught') this.append('ParallelStateSucceeded');
    this.append(`${type}StateExited`, { name, output: json(output), outputDetails: { truncated: false } });
  }

  private failed(name: string, event: InterpreterEvent): void {
    const type = this.typeOf(name);
    const visit = this.openVisit(name, event.state?.input, event.index);
    if (visit) {
      visit.outcome = 'failed';
      if (event.Error !== undefined) visit.error = event.Error;
    }
    if (type === 'Map' && visit) this.abortIterations(visit);
    if (type === 'Map') this.append('MapStateFailed');
    if (type === 'Parallel') this.append('ParallelStateFailed');
  }

  /** A failed Map abandons its other iterations: AWS records them as aborted. */
  private abortIterations(map: StateVisit): void {
    for (const visit of this.open.keys()) {
      if (this.machine.stateScopes.get(visit.name)?.includes(map.name)) {
        visit.outcome = 'aborted';
        this.open.delete(visit);
      }
    }
    for (const index of this.runningIterations.get(map) ?? []) {
      this.append('MapIterationAborted', { name: map.name, index });
    }
    this.runningIterations.delete(map);
  }

  /**
   * The interpreter hands a copy of the Map's input on with each iteration event, so visits running at
   * once are told apart by its JSON (each inner Map of a group is entered with that group's items).
   */
  private openByInput(name: string, input: unknown): StateVisit | undefined {
    const candidates = [...this.open.keys()].filter((visit) => visit.name === name);
    if (candidates.length <= 1 || input === undefined) return candidates[0];
    const wanted = json(input);
    return candidates.find((visit) => this.enteredJson(visit) === wanted);
  }

  private readonly enteredJsons = new WeakMap<StateVisit, string>();

  private enteredJson(visit: StateVisit): string {
    let text = this.enteredJsons.get(visit);
    if (text === undefined) {
      text = json(this.open.get(visit));
      this.enteredJsons.set(visit, text);
    }
    return text;
  }

  private findOpen(name: string): StateVisit | undefined {
    for (const visit of this.open.keys()) if (visit.name === name) return visit;
    return undefined;
  }

  private mapIteration(event: InterpreterEvent): void {
    const mapName = event.parentState?.name ?? '';
    // Several visits of a Map inside a Map run at once: the iteration belongs to the one entered with the
    // input the interpreter hands on with it (an item's own child, for a Distributed Map's model).
    const visit = this.openByInput(mapName, event.parentState?.input) ?? this.findOpen(mapName);
    if (visit && event.index !== undefined) {
      const running = this.runningIterations.get(visit) ?? new Set<number>();
      this.runningIterations.set(visit, running);
      if (event.type === 'MapIterationStarted') running.add(event.index);
      else running.delete(event.index);
    }
    if (visit && event.type === 'MapIterationStarted') visit.iterations = (visit.iterations ?? 0) + 1;
    const details: Record<string, unknown> = { name: mapName, index: event.index };
    this.append(event.type, details);
  }

  /** On failure: the states still open (a Fail state, the failed task) end as failed. */
  failOpenStates(): void {
    for (const visit of this.open.keys()) visit.outcome = 'failed';
    this.open.clear();
    this.runningIterations.clear();
  }

  /** On stop/timeout: the states still running get their …StateAborted event, innermost first. */
  abortOpenStates(): void {
    for (const visit of [...this.open.keys()].reverse()) {
      visit.outcome = 'aborted';
      for (const index of this.runningIterations.get(visit) ?? []) {
        this.append('MapIterationAborted', { name: visit.name, index });
      }
      if (CAN_ABORT.has(visit.type)) this.append(`${visit.type}StateAborted`);
    }
    this.open.clear();
    this.runningIterations.clear();
  }
}
