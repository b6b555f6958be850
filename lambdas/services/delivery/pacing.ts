/**
 * Per-conversation pacing and a concurrency gate for one invocation's sends. Slack allows about one message
 * per second per channel and answers 429 + Retry-After beyond it (docs/architecture.md, "Facts that
 * bite"): each channel keeps its own clock here, so a channel told to wait holds back only its own posts,
 * never anybody else's.
 */
import { sleep } from '../../adapters/sleep.ts';

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/** How long to wait after a failure the provider gave no Retry-After for: exponential, capped, jittered. */
export function backoffMs(attempts: number): number {
  return (
    Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1)) * (0.5 + Math.random() / 2)
  );
}

export class Pacer {
  private readonly nextFree = new Map<string, number>();

  constructor(private readonly minIntervalMs: number) {}

  /**
   * Waits for `key`'s next slot and takes it. False (without waiting) when the slot would come after
   * `deadline`. No key: no pacing (email, SMS: the providers queue).
   */
  async turn(key: string | undefined, deadline: number): Promise<boolean> {
    if (key === undefined) return true;
    for (;;) {
      const free = this.nextFree.get(key) ?? 0;
      const now = Date.now();
      if (free <= now) {
        this.nextFree.set(key, now + this.minIntervalMs);
        return true;
      }
      if (free >= deadline) return false;
      await sleep(free - now);
    }
  }

  /** The provider said wait (Retry-After): nothing goes to `key` before `until`. */
  block(key: string | undefined, until: number): void {
    if (key === undefined) return;
    this.nextFree.set(key, Math.max(this.nextFree.get(key) ?? 0, until));
  }

  /** When a send that must wait `waitMs` may go again: not before its key's next free slot either. */
  nextTry(key: string | undefined, waitMs: number): number {
    const free = key === undefined ? 0 : (this.nextFree.get(key) ?? 0);
    return Math.max(Date.now() + waitMs, free);
  }
}

/** At most `limit` tasks at once; the rest queue in order. */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`Gate limit must be at least 1, got ${limit}`);
  }

  /** Whether any task is running (when some wait for their turn, some are). */
  get busy(): boolean {
    return this.active > 0;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next in line, so nobody can slip in between.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
