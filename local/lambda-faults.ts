import { randomUUID } from 'node:crypto';
import { FUNCTIONS, functionName } from '../lambdas/contract/functions.ts';
import { seeded } from './seeded.ts';
import type { InvocationFault } from './stepfunctions/index.ts';

/**
 * Fault injection for the Lambdas the state machines invoke (`LAMBDA_FAULTS`, `FAULT_SEED`): the product's
 * own failures — a bug, a crash between a send and its record, a function that runs out of time — made to
 * happen on purpose, so the workflow's retries and its "tell the CMOC" paths run against the real handlers.
 * Nothing in lambdas/ knows: the local Step Functions engine asks `decide` before each invocation
 * (StepFunctionsOptions.invocationFault) and reports the fault to the task the way AWS would.
 *
 *   LAMBDA_FAULTS="*=0.2,*=timeout:0.05"        every step: 20 % throw, 5 % time out
 *   LAMBDA_FAULTS="deliver-update=0.5"          one function (its deployed name in contract/functions.ts)
 *   LAMBDA_FAULTS="*=0.2,notify-cmoc=0"         a named function's entry overrides `*` for that kind
 */
export type FaultKind = 'throw' | 'timeout';

/** The chance, per invocation, of each kind of fault. */
export interface FaultRates {
  throw: number;
  timeout: number;
}

/** Per function that has any fault, its rates (`*` already applied). */
export type FaultPlan = ReadonlyMap<string, FaultRates>;

/** What one invocation got: a throw before or after the handler ran, or a timeout after it ran. */
export type InjectedFault = 'throw-before' | 'throw-after' | 'timeout';
export const INJECTED_FAULTS: readonly InjectedFault[] = ['throw-before', 'throw-after', 'timeout'];

export type FaultTally = Record<InjectedFault, number> & { invocations: number };

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const WILDCARD = '*';
const RATE = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The functions a state machine invokes (they have an ASL substitution): the only ones faults can hit. */
export const faultableFunctions = (): string[] =>
  FUNCTIONS.filter((f) => 'substitution' in f).map((f) => f.name);

/**
 * Parses LAMBDA_FAULTS. Throws a FaultSpecError naming the entry at fault: bad syntax, an unknown kind or
 * function, a rate outside 0..1, a kind given twice for one function, or rates adding up past 1.
 */
export function parseLambdaFaults(
  text: string,
  functions: readonly string[] = faultableFunctions(),
): FaultPlan {
  const given = new Map<string, { entry: string; rate: number }>();
  const entries = text.trim() === '' ? [] : text.split(',').map((e) => e.trim());
  entries.forEach((entry, i) => {
    const where = `LAMBDA_FAULTS entry ${i + 1} ("${entry}")`;
    if (entry === '') throw new FaultSpecError(`${where} is empty: entries are separated by single commas`);
    const match = /^([^=\s]+)\s*=\s*(?:([A-Za-z]+)\s*:\s*)?(\S*)$/.exec(entry);
    if (!match) throw new FaultSpecError(`${where}: expected <function>=<rate> or <function>=timeout:<rate>`);
    const [, fn = '', prefix, rateText = ''] = match;
    if (prefix !== undefined && prefix !== 'timeout')
      throw new FaultSpecError(
        `${where}: "${prefix}" is not a fault kind; write <rate> for a throw or timeout:<rate>`,
      );
    if (fn !== WILDCARD && !functions.includes(fn))
      throw new FaultSpecError(
        `${where}: no state machine invokes a function named "${fn}"; use * or one of ${functions.join(', ')}`,
      );
    const rate = Number(rateText);
    if (!RATE.test(rateText) || !(rate >= 0 && rate <= 1))
      throw new FaultSpecError(`${where}: the rate must be a number from 0 to 1 (got "${rateText}")`);
    const kind: FaultKind = prefix === 'timeout' ? 'timeout' : 'throw';
    const key = `${fn}\u0000${kind}`;
    const earlier = given.get(key);
    if (earlier) throw new FaultSpecError(`${where}: ${fn} already has a ${kind} rate ("${earlier.entry}")`);
    given.set(key, { entry, rate });
  });
  const rateOf = (fn: string, kind: FaultKind): number =>
    given.get(`${fn}\u0000${kind}`)?.rate ?? given.get(`${WILDCARD}\u0000${kind}`)?.rate ?? 0;
  const plan = new Map<string, FaultRates>();
  for (const fn of functions) {
    const rates = { throw: rateOf(fn, 'throw'), timeout: rateOf(fn, 'timeout') };
    if (rates.throw + rates.timeout > 1)
      throw new FaultSpecError(
        `LAMBDA_FAULTS: ${fn} would throw on ${rates.throw} and time out on ${rates.timeout} of its invocations, more than all of them`,
      );
    if (rates.throw > 0 || rates.timeout > 0) plan.set(fn, rates);
  }
  return plan;
}

/** Parses FAULT_SEED: a whole number from 0 to 2^32 - 1. */
export function parseFaultSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seed) || seed > 0xffffffff)
    throw new FaultSpecError(`FAULT_SEED must be a whole number from 0 to 4294967295 (got "${text}")`);
  return seed;
}

/** One plan as LAMBDA_FAULTS would write it (`*` when every function has the same rates). */
export function describePlan(plan: FaultPlan, functions: readonly string[] = faultableFunctions()): string {
  if (plan.size === 0) return 'none';
  const entry = (fn: string, r: FaultRates) =>
    [r.throw > 0 ? `${fn}=${r.throw}` : '', r.timeout > 0 ? `${fn}=timeout:${r.timeout}` : ''].filter(
      Boolean,
    );
  const [first] = plan.values();
  const same = functions.every((fn) => {
    const r = plan.get(fn);
    return r !== undefined && r.throw === first?.throw && r.timeout === first.timeout;
  });
  if (same && first) return entry(WILDCARD, first).join(',');
  return [...plan].flatMap(([fn, r]) => entry(fn, r)).join(',');
}

/** FNV-1a: gives each function its own sequence from one seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const emptyTally = (): FaultTally => ({ invocations: 0, 'throw-before': 0, 'throw-after': 0, timeout: 0 });

/**
 * Decides, per invocation, which fault (if any) a function gets, and counts them. Each function draws from
 * its own seeded sequence, so its n-th invocation gets the same fate in every run with the same seed and
 * plan, however the invocations of different functions interleave.
 */
export class LambdaFaults {
  private rates: FaultPlan = new Map();
  private streams = new Map<string, () => number>();
  private readonly tallies = new Map<string, FaultTally>();
  private seedValue: number;

  constructor(plan: FaultPlan | string = new Map(), seed = 1) {
    this.seedValue = seed;
    this.set(plan);
  }

  get seed(): number {
    return this.seedValue;
  }

  /** Replaces the plan (LAMBDA_FAULTS syntax or parsed) and restarts every function's sequence. */
  set(plan: FaultPlan | string, seed = this.seedValue): void {
    this.rates = typeof plan === 'string' ? parseLambdaFaults(plan) : plan;
    this.seedValue = seed;
    this.streams = new Map();
  }

  /** No faults from now on (the counts stay). */
  clear(): void {
    this.set(new Map());
  }

  plan(): FaultPlan {
    return this.rates;
  }

  describe(): string {
    return describePlan(this.rates);
  }

  /** The fate of the next invocation of `fn` (a name from contract/functions.ts); counted. */
  decide(fn: string): InjectedFault | undefined {
    const tally = this.tallies.get(fn) ?? emptyTally();
    this.tallies.set(fn, tally);
    tally.invocations++;
    const rates = this.rates.get(fn);
    if (!rates) return undefined;
    let next = this.streams.get(fn);
    if (!next) this.streams.set(fn, (next = seeded((this.seedValue ^ hash(fn)) >>> 0)));
    // Two draws every time, so one invocation's fate never shifts the next one's.
    const [kind, when] = [next(), next()];
    const fault: InjectedFault | undefined =
      kind < rates.throw
        ? when < 0.5
          ? 'throw-before'
          : 'throw-after'
        : kind < rates.throw + rates.timeout
          ? 'timeout'
          : undefined;
    if (fault) tally[fault]++;
    return fault;
  }

  /** Invocations and the faults injected into them, per function, since the runtime started. */
  counts(): Record<string, FaultTally> {
    return Object.fromEntries([...this.tallies].map(([fn, tally]) => [fn, { ...tally }]));
  }

  /** The counts summed over every function. */
  totals(): FaultTally {
    const sum = emptyTally();
    for (const tally of this.tallies.values()) {
      sum.invocations += tally.invocations;
      for (const kind of INJECTED_FAULTS) sum[kind] += tally[kind];
    }
    return sum;
  }
}

/** Marks every injected error's message, so nobody reading a CMOC's DM or a history hunts a real bug. */
const INJECTED = '(injected by LAMBDA_FAULTS)';

/**
 * The engine's hook for a runtime whose functions are deployed as `<prefix>-<name>`: what each fault
 * looks like from the task. A throw before the handler is an ordinary function error; a throw after it is
 * the runtime dying with the work done and the answer lost (Lambda's `Runtime.ExitError`); a timeout is
 * an overrun bounded by the function's own timeout from contract/functions.ts.
 */
export function invocationFaults(
  faults: LambdaFaults,
  prefix: string,
): (deployedName: string) => InvocationFault | undefined {
  const byDeployedName = new Map<string, (typeof FUNCTIONS)[number]>(
    FUNCTIONS.map((f) => [functionName(prefix, f.name), f]),
  );
  return (deployedName) => {
    const spec = byDeployedName.get(deployedName);
    if (!spec) return undefined;
    switch (faults.decide(spec.name)) {
      case undefined:
        return undefined;
      case 'throw-before':
        return {
          kind: 'fail-before',
          errorType: 'Error',
          errorMessage: `${spec.name} failed before doing anything ${INJECTED}`,
        };
      case 'throw-after':
        return {
          kind: 'fail-after',
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${randomUUID()} Error: Runtime exited with error: signal: killed ${INJECTED}`,
        };
      case 'timeout':
        return { kind: 'overrun', functionTimeoutSeconds: spec.timeoutSeconds, note: INJECTED };
    }
  };
}
