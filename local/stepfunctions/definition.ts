import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { isLambdaFunctionArn, stateMachineArn } from './arns.ts';
import type { LocalStateMachine, StateType, TaskKind } from './types.ts';
import { ifDefined } from '../../lambdas/domain/optional.ts';

/**
 * Turns an ASL definition into one the interpreter can run with every Task overridden:
 * - each Task's Parameters are wrapped so the override also receives TimeoutSecondsPath/HeartbeatSecondsPath,
 *   evaluated (like AWS) against the state's effective input rather than the processed Parameters;
 * - each Wait becomes an overridden Task so its duration can be scaled and cancelled;
 * - the interpreter's own timeouts (task default 60 s, machine TimeoutSeconds) are moved out of the way,
 *   since this runtime enforces them itself (scaled, and without setTimeout's 2^31-1 ms overflow).
 */

export const PARAMS_KEY = 'LocalRuntimeParameters';
export const SETTINGS_KEY = 'LocalRuntimeSettings';
/** Longest timer setTimeout can hold (2^31-1 ms), in whole seconds: the interpreter's timeouts never fire. */
export const INTERPRETER_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const WAIT_RESOURCE = 'arn:aws:states:::local:wait';
/**
 * Distributed Map fields the interpreter silently ignores: it runs a Map with ProcessorConfig DISTRIBUTED
 * inline over ItemsPath (same items, same ItemSelector, same iteration states), which is faithful only
 * without these.
 */
const DISTRIBUTED_ONLY = [
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
] as const;

export interface TaskSpec {
  stateName: string;
  kind: TaskKind;
  /** The state's Resource as written (for a Wait state: 'Wait'). */
  resource: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** For startExecution.sync: 2 for `.sync:2` (parsed JSON output), 1 for `.sync` (string output). */
  syncVersion?: 1 | 2;
  /** For callback tasks: whether a Lambda is invoked (lambda:invoke.waitForTaskToken). */
  invokesLambda?: boolean;
  /** Names of the Map/Parallel states this state is nested in, outermost first. */
  scopes: string[];
}

export interface MapSpec {
  inputPath?: string | null;
  itemsPath?: string;
  /** Whether this Map runs inside another Map (then several visits of it can run at once). */
  insideMap: boolean;
}

export interface PreparedMachine {
  name: string;
  arn: string;
  /** The definition as given, for DescribeStateMachine. */
  definition: Record<string, unknown>;
  runnable: StateMachineDefinition;
  tasks: Map<string, TaskSpec>;
  stateTypes: Map<string, StateType>;
  /** For every state, the Map/Parallel states it is nested in, outermost first. */
  stateScopes: Map<string, string[]>;
  maps: Map<string, MapSpec>;
  timeoutSeconds?: number;
  creationDate: Date;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function classify(resource: string): Pick<TaskSpec, 'kind' | 'syncVersion' | 'invokesLambda'> | undefined {
  const service = /^arn:aws[a-z-]*:states:::(.+)$/.exec(resource)?.[1];
  if (service === undefined) return isLambdaFunctionArn(resource) ? { kind: 'lambdaArn' } : undefined;
  if (service === 'lambda:invoke') return { kind: 'lambda' };
  if (service.endsWith('.waitForTaskToken')) {
    return { kind: 'callback', invokesLambda: service === 'lambda:invoke.waitForTaskToken' };
  }
  if (service === 'states:startExecution.sync:2') return { kind: 'startExecutionSync', syncVersion: 2 };
  if (service === 'states:startExecution.sync') return { kind: 'startExecutionSync', syncVersion: 1 };
  if (service === 'states:startExecution') return { kind: 'startExecution' };
  return undefined;
}

const SUPPORTED =
  'lambda:invoke, lambda:invoke.waitForTaskToken (or any .waitForTaskToken), states:startExecution[.sync[:2]], ' +
  'or a Lambda function ARN';

function wrapParameters(state: Json, settings: Json): Json {
  return {
    [PARAMS_KEY + ('Parameters' in state ? '' : '.$')]: 'Parameters' in state ? state.Parameters : '$',
    [SETTINGS_KEY]: settings,
  };
}

function rewriteTask(state: Json, stateName: string, machine: string, scopes: string[]): [Json, TaskSpec] {
  const resource = String(state.Resource);
  const kind = classify(resource);
  if (!kind) {
    throw new Error(
      `State machine "${machine}": state "${stateName}" uses Resource "${resource}", which the local runtime ` +
        `cannot run (supported: ${SUPPORTED}).`,
    );
  }
  const settings: Json = {};
  if (typeof state.TimeoutSecondsPath === 'string') settings['timeoutSeconds.$'] = state.TimeoutSecondsPath;
  if (typeof state.HeartbeatSecondsPath === 'string')
    settings['heartbeatSeconds.$'] = state.HeartbeatSecondsPath;
  const spec: TaskSpec = { stateName, resource, scopes, ...kind };
  if (typeof state.TimeoutSeconds === 'number') spec.timeoutSeconds = state.TimeoutSeconds;
  if (typeof state.HeartbeatSeconds === 'number') spec.heartbeatSeconds = state.HeartbeatSeconds;
  const rewritten: Json = { ...state, Parameters: wrapParameters(state, settings) };
  delete rewritten.TimeoutSecondsPath;
  delete rewritten.HeartbeatSeconds;
  delete rewritten.HeartbeatSecondsPath;
  rewritten.TimeoutSeconds = INTERPRETER_TIMEOUT_SECONDS;
  return [rewritten, spec];
}

function rewriteWait(state: Json, stateName: string, scopes: string[]): [Json, TaskSpec] {
  const settings: Json = {};
  for (const field of ['Seconds', 'Timestamp'] as const) {
    if (field in state) settings[field.toLowerCase()] = state[field];
    if (typeof state[`${field}Path`] === 'string')
      settings[`${field.toLowerCase()}.$`] = state[`${field}Path`];
  }
  const rewritten: Json = {
    Type: 'Task',
    Resource: WAIT_RESOURCE,
    // The override returns the effective input unchanged, so InputPath/OutputPath keep their Wait meaning.
    Parameters: { [`${PARAMS_KEY}.$`]: '$', [SETTINGS_KEY]: settings },
    TimeoutSeconds: INTERPRETER_TIMEOUT_SECONDS,
  };
  for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) {
    if (key in state) rewritten[key] = state[key];
  }
  return [rewritten, { stateName, kind: 'wait', resource: 'Wait', scopes }];
}

interface Walk {
  machine: string;
  tasks: Map<string, TaskSpec>;
  stateTypes: Map<string, StateType>;
  stateScopes: Map<string, string[]>;
  maps: Map<string, MapSpec>;
}

function rewriteStates(graph: Json, walk: Walk, scopes: string[], insideMap: boolean): Json {
  if (graph.QueryLanguage === 'JSONata') {
    throw new Error(`State machine "${walk.machine}": JSONata is not supported locally; use JSONPath.`);
  }
  const states = isObject(graph.States) ? graph.States : {};
  const out: Json = {};
  for (const [name, raw] of Object.entries(states)) {
    if (!isObject(raw)) continue;
    if (walk.stateTypes.has(name)) {
      throw new Error(`State machine "${walk.machine}": state name "${name}" is used more than once.`);
    }
    if (raw.QueryLanguage === 'JSONata') {
      throw new Error(
        `State machine "${walk.machine}": state "${name}" uses JSONata, not supported locally.`,
      );
    }
    walk.stateTypes.set(name, raw.Type as StateType);
    walk.stateScopes.set(name, scopes);
    let state: Json = raw;
    if (raw.Type === 'Task' || raw.Type === 'Wait') {
      const [rewritten, spec] =
        raw.Type === 'Task' ? rewriteTask(raw, name, walk.machine, scopes) : rewriteWait(raw, name, scopes);
      walk.tasks.set(name, spec);
      state = rewritten;
    } else if (raw.Type === 'Map') {
      const ignored = DISTRIBUTED_ONLY.filter((field) => field in raw);
      if (ignored.length > 0) {
        throw new Error(
          `State machine "${walk.machine}": Map "${name}" uses ${ignored.join(', ')}, which the local ` +
            'interpreter ignores (it runs every Map inline over ItemsPath); feed the items through ItemsPath.',
        );
      }
      const key = 'ItemProcessor' in raw ? 'ItemProcessor' : 'Iterator';
      const inner = isObject(raw[key]) ? raw[key] : {};
      walk.maps.set(name, {
        ...ifDefined('inputPath', raw.InputPath as string | null | undefined),
        ...ifDefined('itemsPath', raw.ItemsPath as string | undefined),
        insideMap,
      });
      state = { ...raw, [key]: { ...inner, States: rewriteStates(inner, walk, [...scopes, name], true) } };
    } else if (raw.Type === 'Parallel') {
      const branches = Array.isArray(raw.Branches) ? (raw.Branches as unknown[]) : [];
      state = {
        ...raw,
        Branches: branches.map((b) =>
          isObject(b) ? { ...b, States: rewriteStates(b, walk, [...scopes, name], insideMap) } : b,
        ),
      };
    }
    out[name] = state;
  }
  return out;
}

/** Validates (asl-validator, as the interpreter does) and rewrites one machine; throws naming what is wrong. */
export function prepareMachine(
  machine: LocalStateMachine,
  region: string,
  accountId: string,
): PreparedMachine {
  try {
    new StateMachine(machine.definition as unknown as StateMachineDefinition);
  } catch (error) {
    throw new Error(`State machine "${machine.name}" is not valid ASL: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const walk: Walk = {
    machine: machine.name,
    tasks: new Map(),
    stateTypes: new Map(),
    stateScopes: new Map(),
    maps: new Map(),
  };
  const states = rewriteStates(machine.definition, walk, [], false);
  const runnable = { ...machine.definition, States: states } as Json;
  delete runnable.TimeoutSeconds;
  const prepared: PreparedMachine = {
    name: machine.name,
    arn: stateMachineArn(machine.name, region, accountId),
    definition: machine.definition,
    runnable: runnable as unknown as StateMachineDefinition,
    tasks: walk.tasks,
    stateTypes: walk.stateTypes,
    stateScopes: walk.stateScopes,
    maps: walk.maps,
    creationDate: new Date(),
  };
  if (typeof machine.definition.TimeoutSeconds === 'number')
    prepared.timeoutSeconds = machine.definition.TimeoutSeconds;
  return prepared;
}
