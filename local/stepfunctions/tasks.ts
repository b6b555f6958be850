import { runCallbackTask } from './callback.ts';
import { PARAMS_KEY, SETTINGS_KEY, type PreparedMachine, type TaskSpec } from './definition.ts';
import { abortedError, fatalError, SfnApiError, statesTimeoutError, taskError } from './errors.ts';
import type { ExecutionHistory } from './history.ts';
import { invokeLambda, invokeResult, TaskDeadlinePassed, type LambdaTarget } from './lambda.ts';
import { guard, nextMacrotask, type Guarded } from './timing.ts';
import type { TaskTokens } from './tokens.ts';
import type { ExecutionDescription, StartExecutionInput } from './types.ts';

/** What a running execution offers its task overrides. */
export interface TaskHost extends LambdaTarget {
  executionArn: string;
  machine: PreparedMachine;
  history: ExecutionHistory;
  tokens: TaskTokens;
  /** The static value the interpreter puts wherever `$$.Task.Token` is read. */
  tokenMarker: string;
  timeScale: number;
  /** Aborts when the execution closes, or when an enclosing Map/Parallel failed and dropped this task. */
  signalFor(spec: TaskSpec): AbortSignal;
  startChild(input: StartExecutionInput, linked: boolean): { executionArn: string; startDate: Date };
  awaitChild(executionArn: string): Promise<ExecutionDescription>;
  stopChild(executionArn: string, cause: string): void;
}

export interface TaskCall {
  host: TaskHost;
  spec: TaskSpec;
  signal: AbortSignal;
  params: unknown;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  events: TaskEvents;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);

/** Records a task's AWS history events (Task… for integrations, LambdaFunction… for a bare Lambda ARN). */
export class TaskEvents {
  private readonly base: Record<string, unknown>;
  private readonly prefix: 'Task' | 'LambdaFunction';

  constructor(
    private readonly history: ExecutionHistory,
    spec: TaskSpec,
    private readonly region: string,
  ) {
    const service = /^arn:aws[a-z-]*:states:::([^:]+):(.+)$/.exec(spec.resource);
    this.prefix = spec.kind === 'lambdaArn' ? 'LambdaFunction' : 'Task';
    this.base = service ? { resourceType: service[1], resource: service[2] } : { resource: spec.resource };
  }

  scheduled(params: unknown, timeoutSeconds?: number, heartbeatSeconds?: number): void {
    const details: Record<string, unknown> =
      this.prefix === 'Task'
        ? { ...this.base, region: this.region, parameters: json(params) }
        : { ...this.base, input: json(params), inputDetails: { truncated: false } };
    if (timeoutSeconds !== undefined) details.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== undefined) details.heartbeatInSeconds = heartbeatSeconds;
    this.history.append(`${this.prefix}Scheduled`, details);
  }
  started(): void {
    this.history.append(`${this.prefix}Started`, this.prefix === 'Task' ? this.base : undefined);
  }
  submitted(output: unknown): void {
    const details =
      output === undefined
        ? this.base
        : { ...this.base, output: json(output), outputDetails: { truncated: false } };
    this.history.append('TaskSubmitted', details);
  }
  succeeded(output: unknown): void {
    const base = this.prefix === 'Task' ? this.base : {};
    this.history.append(`${this.prefix}Succeeded`, {
      ...base,
      output: json(output),
      outputDetails: { truncated: false },
    });
  }
  failed(error: string, cause: string): void {
    const base = this.prefix === 'Task' ? this.base : {};
    this.history.append(`${this.prefix}Failed`, { ...base, error, cause });
  }
  timedOut(error: string, cause: string): void {
    const base = this.prefix === 'Task' ? this.base : {};
    this.history.append(`${this.prefix}TimedOut`, { ...base, error, cause });
  }
}

function asObject(value: unknown, stateName: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw fatalError('States.Runtime', `State "${stateName}": Parameters must be a JSON object`);
}

function readSeconds(settings: Record<string, unknown>, key: string, stateName: string): number | undefined {
  const value = settings[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw fatalError(
      'States.Runtime',
      `State "${stateName}": ${key}Path gave ${json(value)}, not a positive integer`,
    );
  }
  return value;
}

/** Turns a guarded wait into the task's result or error, recording the outcome event. */
function finish<T>(call: TaskCall, result: Guarded<T>, shape: (value: T) => unknown): unknown {
  switch (result.kind) {
    case 'done': {
      const output = shape(result.value);
      call.events.succeeded(output);
      return output;
    }
    case 'error':
      call.events.failed(result.error.name, result.error.message);
      throw result.error;
    case 'timeout': {
      const cause = `The task did not finish within ${call.timeoutSeconds} s`;
      call.events.timedOut('States.Timeout', cause);
      throw statesTimeoutError(cause);
    }
    case 'aborted':
      throw abortedError();
  }
}

const timeoutMs = (call: TaskCall): number | undefined =>
  call.timeoutSeconds === undefined ? undefined : call.timeoutSeconds * 1000;

async function runLambdaTask(call: TaskCall): Promise<unknown> {
  const bare = call.spec.kind === 'lambdaArn';
  const params = bare ? call.params : asObject(call.params, call.spec.stateName);
  const target = bare ? call.spec.resource : (params as Record<string, unknown>).FunctionName;
  if (typeof target !== 'string')
    throw fatalError('States.Runtime', `State "${call.spec.stateName}": no FunctionName`);
  const payload = bare ? params : ((params as Record<string, unknown>).Payload ?? {});
  call.events.scheduled(params, call.timeoutSeconds);
  call.events.started();
  // Lambda timeouts bound compute, not people: they are not scaled (only an injected overrun is).
  const work = invokeLambda(call.host, target, payload, call.timeoutSeconds, call.host.timeScale);
  const result = await guard(work, timeoutMs(call), call.signal);
  const outcome: typeof result =
    result.kind === 'error' && result.error instanceof TaskDeadlinePassed ? { kind: 'timeout' } : result;
  return finish(call, outcome, (value) => (bare ? value : invokeResult(value)));
}

const epochMs = (date: Date | undefined): number | undefined => date?.getTime();
const parseOr = (text: string | undefined): unknown =>
  text === undefined ? undefined : (JSON.parse(text) as unknown);

/** The startExecution.sync result: Input/Output parsed for `:2`, JSON strings for `.sync`. */
function syncResult(child: ExecutionDescription, version: 1 | 2): Record<string, unknown> {
  return {
    ExecutionArn: child.executionArn,
    Input: version === 2 ? parseOr(child.input) : child.input,
    InputDetails: { Included: true },
    Name: child.name,
    Output: version === 2 ? parseOr(child.output) : child.output,
    OutputDetails: { Included: true },
    StartDate: epochMs(child.startDate),
    StateMachineArn: child.stateMachineArn,
    Status: child.status,
    StopDate: epochMs(child.stopDate),
    ...(child.error === undefined ? {} : { Error: child.error }),
    ...(child.cause === undefined ? {} : { Cause: child.cause }),
  };
}

async function runStartExecution(call: TaskCall): Promise<unknown> {
  const { host, spec } = call;
  const params = asObject(call.params, spec.stateName);
  const input =
    params.Input === undefined ? '{}' : typeof params.Input === 'string' ? params.Input : json(params.Input);
  call.events.scheduled(params, call.timeoutSeconds, call.heartbeatSeconds);
  let child: { executionArn: string; startDate: Date };
  try {
    const start: StartExecutionInput = { stateMachineArn: String(params.StateMachineArn), input };
    if (typeof params.Name === 'string') start.name = params.Name;
    child = host.startChild(start, spec.kind === 'startExecutionSync');
  } catch (error) {
    if (!(error instanceof SfnApiError)) throw error;
    const name = `StepFunctions.${error.name}Exception`;
    call.events.failed(name, error.message);
    throw taskError(name, error.message);
  }
  call.events.started();
  if (spec.kind === 'startExecution') {
    const output = { ExecutionArn: child.executionArn, StartDate: child.startDate.getTime() };
    call.events.succeeded(output);
    return output;
  }
  const result = await guard(host.awaitChild(child.executionArn), timeoutMs(call), call.signal);
  if (result.kind === 'timeout' || result.kind === 'aborted') {
    host.stopChild(child.executionArn, `The parent task "${spec.stateName}" stopped waiting`);
  }
  if (result.kind === 'done' && result.value.status !== 'SUCCEEDED') {
    const cause = json(syncResult(result.value, spec.syncVersion ?? 2));
    call.events.failed('States.TaskFailed', cause);
    throw taskError('States.TaskFailed', cause);
  }
  return finish(call, result, (value) => syncResult(value, spec.syncVersion ?? 2));
}

/** A Wait state, run as a timer divided by timeScale and cancelled when the execution stops. */
async function runWait(call: TaskCall, settings: Record<string, unknown>): Promise<unknown> {
  let ms = 0;
  if ('seconds' in settings) {
    const seconds = settings.seconds;
    if (typeof seconds !== 'number' || seconds < 0 || !Number.isInteger(seconds)) {
      throw fatalError(
        'States.Runtime',
        `Wait "${call.spec.stateName}": seconds ${json(seconds)} is not an integer >= 0`,
      );
    }
    ms = seconds * 1000;
  } else if ('timestamp' in settings) {
    const due = Date.parse(String(settings.timestamp));
    if (Number.isNaN(due)) {
      throw fatalError(
        'States.Runtime',
        `Wait "${call.spec.stateName}": ${json(settings.timestamp)} is not a timestamp`,
      );
    }
    ms = Math.max(0, due - Date.now());
  }
  const result = await guard(undefined, ms / call.host.timeScale, call.signal);
  if (result.kind === 'aborted') throw abortedError();
  return call.params;
}

async function runTask(host: TaskHost, spec: TaskSpec, input: unknown): Promise<unknown> {
  const signal = host.signalFor(spec);
  await nextMacrotask();
  if (signal.aborted) throw abortedError();
  const wrapper = input as Record<string, unknown>;
  const settings = (wrapper[SETTINGS_KEY] ?? {}) as Record<string, unknown>;
  const call: TaskCall = {
    host,
    spec,
    signal,
    params: wrapper[PARAMS_KEY],
    events: new TaskEvents(host.history, spec, host.region),
  };
  if (spec.kind === 'wait') return runWait(call, settings);
  const timeoutSeconds = readSeconds(settings, 'timeoutSeconds', spec.stateName) ?? spec.timeoutSeconds;
  const heartbeatSeconds = readSeconds(settings, 'heartbeatSeconds', spec.stateName) ?? spec.heartbeatSeconds;
  if (timeoutSeconds !== undefined) call.timeoutSeconds = timeoutSeconds;
  if (heartbeatSeconds !== undefined) call.heartbeatSeconds = heartbeatSeconds;
  switch (spec.kind) {
    case 'lambda':
    case 'lambdaArn':
      return runLambdaTask(call);
    case 'callback':
      return runCallbackTask(call);
    case 'startExecution':
    case 'startExecutionSync':
      return runStartExecution(call);
  }
}

export type TaskOverrides = Record<string, (input: unknown) => Promise<unknown>>;

/** One override per Task (and Wait) state, keyed by state name as the interpreter looks them up. */
export function createOverrides(host: TaskHost): TaskOverrides {
  const overrides: TaskOverrides = {};
  for (const spec of host.machine.tasks.values()) {
    overrides[spec.stateName] = (input) => runTask(host, spec, input);
  }
  return overrides;
}
