import type { SlackFault } from './types.ts';
import { seeded } from '../seeded.ts';
import { ifDefined } from '../../lambdas/domain/optional.ts';

interface PendingFault {
  method: string;
  channel?: string;
  fault: SlackFault;
  remaining: number;
}

/**
 * Faults set by tests: queued ones answer the next matching calls, in the order they were queued; random
 * ones answer a seeded fraction of a method's calls.
 */
export class FaultBook {
  private readonly pending: PendingFault[] = [];
  private readonly random = new Map<string, { fault: SlackFault; fraction: number; next: () => number }[]>();

  /** Adds to the method's random faults; each call is tried against them in the order they were added. */
  addRandom(method: string, fault: SlackFault, fraction: number, seed = 1): void {
    if (!(fraction >= 0 && fraction <= 1))
      throw new Error(`failRandomly: fraction must be 0..1, got ${fraction}`);
    const list = this.random.get(method) ?? [];
    list.push({ fault, fraction, next: seeded(seed + list.length) });
    this.random.set(method, list);
  }

  clear(): void {
    this.pending.length = 0;
    this.random.clear();
  }

  add(method: string, fault: SlackFault, count: number, channel?: string): void {
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`failNext: count must be a positive integer, got ${count}`);
    this.pending.push({ method, ...ifDefined('channel', channel), fault, remaining: count });
  }

  /** The fault for this call, if one is queued; `channels` are the ways the call named its channel. */
  take(method: string, channels: (string | undefined)[]): SlackFault | undefined {
    const index = this.pending.findIndex(
      (p) => p.method === method && (p.channel === undefined || channels.includes(p.channel)),
    );
    const entry = this.pending[index];
    if (!entry) {
      return this.random.get(method)?.find((r) => r.next() < r.fraction)?.fault;
    }
    entry.remaining -= 1;
    if (entry.remaining === 0) this.pending.splice(index, 1);
    return entry.fault;
  }
}

/** A sliding one-second window per conversation, like Slack's "about one message per second" for posting. */
export class RateLimiter {
  private readonly posts = new Map<string, number[]>();

  constructor(private readonly perSecond: number) {
    if (!(perSecond > 0)) throw new Error(`rateLimit.perChannelPerSecond must be positive, got ${perSecond}`);
  }

  /** Seconds to wait (for Retry-After, at least 1 as Slack sends whole seconds), or undefined if allowed now. */
  retryAfter(channel: string): number | undefined {
    const recent = this.recent(channel);
    if (recent.length < this.perSecond) return undefined;
    const oldest = recent[0] ?? Date.now();
    return Math.max(1, Math.ceil((oldest + 1000 - Date.now()) / 1000));
  }

  record(channel: string): void {
    this.recent(channel).push(Date.now());
  }

  private recent(channel: string): number[] {
    const cutoff = Date.now() - 1000;
    const kept = (this.posts.get(channel) ?? []).filter((t) => t > cutoff);
    this.posts.set(channel, kept);
    return kept;
  }
}
