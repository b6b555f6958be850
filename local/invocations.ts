import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which Lambda invocation is running, for whoever watches the local runtime (the bench's critical-path
 * count): every handler the runtime runs — Step Functions tasks, HTTP front doors, async invokes — runs
 * inside `withinInvocation`, so an observer can tell which invocation made an outgoing call (a DynamoDB
 * round trip, a Slack call) from the async context it was made in. Costs nothing when nobody watches.
 */
export interface Invocation {
  readonly id: number;
  /** The function's stable name (lambdas/contract/functions.ts). */
  readonly functionName: string;
  /** performance.now() when the handler was called, and when it settled. */
  readonly startedAt: number;
  endedAt?: number;
}

type Watcher = (invocation: Invocation, phase: 'start' | 'end') => void;

const scope = new AsyncLocalStorage<Invocation>();
const watchers = new Set<Watcher>();
let nextId = 1;

export function withinInvocation<T>(functionName: string, run: () => Promise<T>): Promise<T> {
  if (watchers.size === 0) return run();
  const invocation: Invocation = { id: nextId++, functionName, startedAt: performance.now() };
  for (const watch of watchers) watch(invocation, 'start');
  return scope.run(invocation, async () => {
    try {
      return await run();
    } finally {
      invocation.endedAt = performance.now();
      for (const watch of watchers) watch(invocation, 'end');
    }
  });
}

/** The invocation whose code is running now, if any is watched. */
export const currentInvocation = (): Invocation | undefined => scope.getStore();

/** Calls `watch` as invocations start and end; returns the function that stops watching. */
export function watchInvocations(watch: Watcher): () => void {
  watchers.add(watch);
  return () => watchers.delete(watch);
}
