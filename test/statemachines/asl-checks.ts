/**
 * Checks on an ASL definition beyond what asl-validator knows: the state-machine rules and the limits of
 * the local interpreter (docs/architecture.md, "Facts that bite"). Each returns readable problems ("<state>: <what>"), empty when
 * the definition is fine, so a test can show all of them at once and can feed them broken definitions.
 */
import { createRequire } from 'node:module';
import { childMachines, walkStates } from '../../lib/asl.ts';
import type { AslMachine, AslState } from '../../lib/asl.ts';

export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** Fields aws-local-stepfunctions silently ignores, so a file using them behaves differently locally. */
const LOCALLY_IGNORED = ['QueryLanguage', 'Assign', 'HeartbeatSeconds', 'HeartbeatSecondsPath'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** Where a state can go next: Next, Choice rules and Default, Catch handlers. */
export function transitionsOf(state: AslState): string[] {
  const targets: unknown[] = [state.Next, state.Default];
  for (const rule of list(state.Choices)) targets.push(rule.Next);
  for (const handler of list(state.Catch)) targets.push(handler.Next);
  return targets.filter((t): t is string => typeof t === 'string');
}

/** Every (sub)machine: the top level and each Map/Parallel body, with the state that holds it. */
function machines(machine: AslMachine, owner = '(top level)'): { owner: string; machine: AslMachine }[] {
  const out = [{ owner, machine }];
  for (const [name, state] of Object.entries(machine.States)) {
    for (const child of childMachines(state)) out.push(...machines(child, name));
  }
  return out;
}

export function checkTransitionTargets(top: AslMachine): string[] {
  const problems: string[] = [];
  for (const { owner, machine } of machines(top)) {
    if (!(machine.StartAt in machine.States))
      problems.push(`${owner}: StartAt "${machine.StartAt}" does not exist`);
    for (const [name, state] of Object.entries(machine.States)) {
      for (const target of transitionsOf(state)) {
        // A target must be in the same (sub)machine: a Map body cannot jump out to its parent.
        if (!(target in machine.States))
          problems.push(`${name}: goes to "${target}", which is not a state here`);
      }
    }
  }
  return problems;
}

export function checkReachable(top: AslMachine): string[] {
  const problems: string[] = [];
  for (const { owner, machine } of machines(top)) {
    const seen = new Set<string>();
    const queue = [machine.StartAt];
    while (queue.length > 0) {
      const name = queue.shift() as string;
      const state = machine.States[name];
      if (seen.has(name) || !state) continue;
      seen.add(name);
      queue.push(...transitionsOf(state));
    }
    for (const name of Object.keys(machine.States)) {
      if (!seen.has(name)) problems.push(`${name}: unreachable from StartAt of ${owner}`);
    }
  }
  return problems;
}

export function checkUniqueNames(top: AslMachine): string[] {
  const counts = new Map<string, number>();
  for (const { name } of walkStates(top)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([name, n]) => `${name}: used ${n} times`);
}

export function invokesLambda(state: AslState): boolean {
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  return (
    /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource) ||
    resource.startsWith('arn:aws:lambda:') ||
    /^\$\{[A-Za-z0-9_]+\}$/.test(resource)
  );
}

export function isCallback(state: AslState): boolean {
  return typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken');
}

const hasTimeout = (state: AslState): boolean =>
  typeof state.TimeoutSeconds === 'number' || typeof state.TimeoutSecondsPath === 'string';

export function checkTasks(top: AslMachine): string[] {
  const problems: string[] = [];
  for (const { name, state } of walkStates(top)) {
    if (state.Type !== 'Task') continue;
    if (invokesLambda(state)) {
      const retried = new Set(
        list(state.Retry)
          .filter((r) => r.MaxAttempts !== 0)
          .flatMap((r): unknown[] => (Array.isArray(r.ErrorEquals) ? r.ErrorEquals : [])),
      );
      const missing = LAMBDA_TRANSIENT_ERRORS.filter((e) => !retried.has(e));
      if (missing.length > 0) problems.push(`${name}: no Retry for ${missing.join(', ')}`);
      if (!hasTimeout(state)) problems.push(`${name}: Lambda task without TimeoutSeconds(Path)`);
    }
    // AWS has no default task timeout: a lost callback would wait a year.
    if (isCallback(state) && !hasTimeout(state)) problems.push(`${name}: callback task without a timeout`);
  }
  return problems;
}

/**
 * Every task is tried again after its own failures (States.TaskFailed) and, unless it waits for a task
 * token, after running out of time (States.Timeout), with backoff and full jitter. A callback's timeout is
 * never retried: for the parked wait and the asks it means "due", not failure (docs/architecture.md,
 * "Retries").
 */
export function checkStepRetries(top: AslMachine): string[] {
  const problems: string[] = [];
  for (const { name, state } of walkStates(top)) {
    if (state.Type !== 'Task') continue;
    const retriers = list(state.Retry).filter((r) => r.MaxAttempts !== 0);
    const covering = (error: string) =>
      retriers.find((r) => Array.isArray(r.ErrorEquals) && r.ErrorEquals.includes(error));
    const wanted = isCallback(state) ? ['States.TaskFailed'] : ['States.TaskFailed', 'States.Timeout'];
    for (const error of wanted) {
      const retrier = covering(error);
      if (!retrier) problems.push(`${name}: no Retry for ${error}`);
      else if (retrier.JitterStrategy !== 'FULL' || !(Number(retrier.BackoffRate) > 1))
        problems.push(`${name}: ${error} is retried without backoff and full jitter`);
    }
    if (isCallback(state) && covering('States.Timeout'))
      problems.push(`${name}: retries States.Timeout, which on a callback task means "due"`);
  }
  return problems;
}

export function checkLocallySupported(top: AslMachine): string[] {
  const problems: string[] = [];
  const flag = (where: string, obj: Obj): void => {
    for (const field of LOCALLY_IGNORED) if (field in obj) problems.push(`${where}: uses ${field}`);
  };
  for (const { owner, machine } of machines(top)) flag(owner, machine);
  for (const { name, state } of walkStates(top)) {
    flag(name, state);
    list(state.Catch).forEach((handler) => flag(`${name} (Catch)`, handler));
    list(state.Choices).forEach((rule) => flag(`${name} (Choice rule)`, rule));
  }
  return problems;
}

/**
 * A Lambda task's TimeoutSeconds must not cut a function off before its own timeout (FUNCTIONS
 * contract): Step Functions would give up while the function still runs.
 */
export function checkTaskTimeoutsCoverFunctions(
  top: AslMachine,
  functionTimeouts: ReadonlyMap<string, number>,
): string[] {
  const problems: string[] = [];
  for (const { name, state } of walkStates(top)) {
    if (state.Type !== 'Task' || !invokesLambda(state) || isCallback(state)) continue;
    const params = isObj(state.Parameters) ? state.Parameters : {};
    const target = typeof params.FunctionName === 'string' ? params.FunctionName : String(state.Resource);
    const placeholder = /^\$\{([A-Za-z0-9_]+)\}$/.exec(target)?.[1];
    const fnTimeout = placeholder ? functionTimeouts.get(placeholder) : undefined;
    if (
      fnTimeout !== undefined &&
      typeof state.TimeoutSeconds === 'number' &&
      state.TimeoutSeconds < fnTimeout
    ) {
      problems.push(
        `${name}: TimeoutSeconds ${state.TimeoutSeconds} is below ${placeholder}'s ${fnTimeout} s`,
      );
    }
  }
  return problems;
}

interface ValidatorResult {
  isValid: boolean;
  errorsText: (separator?: string) => string;
}
type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => ValidatorResult;
const validator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** asl-validator on a copy: it writes QueryLanguage into every state of what it is given. */
export function validateWithAslValidator(definition: unknown): string[] {
  const result = validator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return result.isValid ? [] : [result.errorsText('\n')];
}

export function allProblems(top: AslMachine, functionTimeouts: ReadonlyMap<string, number>): string[] {
  return [
    ...validateWithAslValidator(top),
    ...checkTransitionTargets(top),
    ...checkReachable(top),
    ...checkUniqueNames(top),
    ...checkTasks(top),
    ...checkStepRetries(top),
    ...checkLocallySupported(top),
    ...checkTaskTimeoutsCoverFunctions(top, functionTimeouts),
  ];
}
