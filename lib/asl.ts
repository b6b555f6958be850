/**
 * Reading the ASL files: the states they contain and what their Tasks call. The stack derives its IAM
 * grants and definition substitutions from this, so a new Task in a file cannot ship without its
 * permission. Pure (no aws-cdk-lib), so tests and tools can use it too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AslState {
  readonly Type?: string;
  readonly [field: string]: unknown;
}
export interface AslMachine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
  readonly [field: string]: unknown;
}

export interface VisitedState {
  readonly name: string;
  readonly state: AslState;
  /** Names of the enclosing Map/Parallel states, outermost first; empty at the top level. */
  readonly scope: readonly string[];
}

export const STATEMACHINES_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'statemachines',
);

export function readAslText(file: string): string {
  return readFileSync(path.join(STATEMACHINES_DIR, file), 'utf8');
}

export function parseAsl(text: string): AslMachine {
  const parsed = JSON.parse(text) as unknown;
  if (!isObject(parsed) || typeof parsed.StartAt !== 'string' || !isObject(parsed.States)) {
    throw new Error('Not a state machine definition: it needs StartAt and States');
  }
  return parsed as unknown as AslMachine;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The nested machines of a Map (ItemProcessor, or the older Iterator) or a Parallel (Branches). */
export function childMachines(state: AslState): AslMachine[] {
  const nested: unknown[] = [state.ItemProcessor, state.Iterator];
  if (Array.isArray(state.Branches)) nested.push(...(state.Branches as unknown[]));
  return nested.filter((m): m is AslMachine => isObject(m) && isObject(m.States));
}

/** Every state in the machine, depth first, including those inside Map and Parallel states. */
export function walkStates(machine: AslMachine, scope: readonly string[] = []): VisitedState[] {
  const out: VisitedState[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    out.push({ name, state, scope });
    for (const child of childMachines(state)) out.push(...walkStates(child, [...scope, name]));
  }
  return out;
}

/** `${Name}` placeholders in any text, as CloudFormation's DefinitionSubstitutions sees them. */
export function placeholdersIn(text: string): Set<string> {
  return new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string));
}

export interface TaskIntegrations {
  /** Placeholders of Lambda functions the machine invokes. */
  readonly invokes: ReadonlySet<string>;
  /** Placeholders of state machines it starts, and whether it waits for them (`.sync`). */
  readonly starts: ReadonlyMap<string, { readonly sync: boolean }>;
  /** Whether any Task waits for a task token (`.waitForTaskToken`), which someone must then complete. */
  readonly issuesTaskTokens: boolean;
  /** Placeholders of the functions invoked with a task token (`lambda:invoke.waitForTaskToken`). */
  readonly tokenTasks: ReadonlySet<string>;
  /**
   * Names of its Map states in DISTRIBUTED mode: each iteration is a child execution of this same
   * machine, which the machine's own role starts, describes and stops.
   */
  readonly distributedMaps: readonly string[];
}

const LAMBDA_INVOKE = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;
const START_EXECUTION = /^arn:aws:states:::states:startExecution(\.sync(:2)?|\.waitForTaskToken)?$/;

function placeholderOf(value: unknown, where: string): string {
  const match = typeof value === 'string' ? /^\$\{([A-Za-z0-9_]+)\}$/.exec(value) : null;
  if (!match?.[1]) throw new Error(`${where}: expected a \${Placeholder}, found ${JSON.stringify(value)}`);
  return match[1];
}

/**
 * What the machine's Tasks call. Throws on an integration this stack does not know how to grant, so
 * adding one to an ASL file fails the synth instead of failing in AWS with AccessDenied.
 */
export function taskIntegrations(machine: AslMachine): TaskIntegrations {
  const invokes = new Set<string>();
  const tokenTasks = new Set<string>();
  const starts = new Map<string, { sync: boolean }>();
  const distributedMaps: string[] = [];
  let issuesTaskTokens = false;
  for (const { name, state } of walkStates(machine)) {
    if (isDistributedMap(state)) {
      // Reading items from S3 or writing results there would need S3 grants nobody has built.
      for (const field of ['ItemReader', 'ResultWriter'] as const) {
        if (state[field] !== undefined)
          throw new Error(`Map "${name}" uses ${field}, which has no IAM grant in lib/`);
      }
      distributedMaps.push(name);
    }
    if (state.Type !== 'Task') continue;
    const resource = typeof state.Resource === 'string' ? state.Resource : '';
    // JSONPath Tasks name their target in Parameters, JSONata ones in Arguments.
    const params = isObject(state.Parameters)
      ? state.Parameters
      : isObject(state.Arguments)
        ? state.Arguments
        : {};
    if (resource.endsWith('.waitForTaskToken')) issuesTaskTokens = true;
    if (LAMBDA_INVOKE.test(resource)) {
      const fn = placeholderOf(params.FunctionName, `Task "${name}" FunctionName`);
      invokes.add(fn);
      if (resource.endsWith('.waitForTaskToken')) tokenTasks.add(fn);
    } else if (/^\$\{[A-Za-z0-9_]+\}$/.test(resource)) {
      invokes.add(placeholderOf(resource, `Task "${name}" Resource`));
    } else if (START_EXECUTION.test(resource)) {
      const placeholder = placeholderOf(params.StateMachineArn, `Task "${name}" StateMachineArn`);
      const sync = resource.includes('.sync');
      starts.set(placeholder, { sync: sync || (starts.get(placeholder)?.sync ?? false) });
    } else {
      throw new Error(`Task "${name}" uses ${resource || 'no Resource'}, which has no IAM grant in lib/`);
    }
  }
  return { invokes, starts, issuesTaskTokens, tokenTasks, distributedMaps };
}

function isDistributedMap(state: AslState): boolean {
  if (state.Type !== 'Map' || !isObject(state.ItemProcessor)) return false;
  const config = state.ItemProcessor.ProcessorConfig;
  return isObject(config) && config.Mode === 'DISTRIBUTED';
}
