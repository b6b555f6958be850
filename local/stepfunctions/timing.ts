/** setTimeout holds at most 2^31-1 ms and fires at once above that; longer timers are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` after `ms` (any length); returns a function that cancels it. */
export function setLongTimeout(fn: () => void, ms: number): () => void {
  const due = Date.now() + ms;
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const left = due - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(fn, Math.max(0, left));
  };
  arm();
  return () => clearTimeout(timer);
}

/**
 * Lets every pending microtask run first. The interpreter hands its events over through chains of
 * promises, so after this the StateEntered of the state being run has reached the history.
 */
export const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export type Guarded<T> =
  { kind: 'done'; value: T } | { kind: 'error'; error: Error } | { kind: 'timeout' } | { kind: 'aborted' };

/**
 * Settles with whichever comes first: `work` (omit it for a plain sleep, which ends as 'timeout'), the
 * timeout (none when `timeoutMs` is undefined), or the abort signal. Always settles once the signal aborts,
 * so nothing waits on a stopped execution.
 */
export function guard<T>(
  work: Promise<T> | undefined,
  timeoutMs: number | undefined,
  signal: AbortSignal,
): Promise<Guarded<T>> {
  if (signal.aborted) return Promise.resolve({ kind: 'aborted' });
  return new Promise((resolve) => {
    let cancelTimer = (): void => {};
    const finish = (result: Guarded<T>): void => {
      cancelTimer();
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) cancelTimer = setLongTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    work?.then(
      (value) => finish({ kind: 'done', value }),
      (error: unknown) =>
        finish({ kind: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  });
}
