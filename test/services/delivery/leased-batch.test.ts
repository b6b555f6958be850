import { describe, expect, it } from 'vitest';
import type { NewLogEntry } from '../../../lambdas/adapters/notification-log.ts';
import type { DeliveryJob } from '../../../lambdas/services/delivery/exactly-once.ts';
import { SendFailure } from '../../../lambdas/services/delivery/failures.ts';
import { deliverLeased, type LeasedRunOptions } from '../../../lambdas/services/delivery/leased-batch.ts';
import { WAIT_BOUND_MS, waitFor } from '../../../local/driver.ts';

/**
 * Two runs in one process, as a broadcast's batches share a worker thread of the local runtime: one run's
 * outcomes are written only when no run here has a send in flight, so its bookkeeping never takes the CPU
 * another run's posts are waiting for. The jobs are the delivery's own interface, with sends that answer
 * when the test says.
 */
const entry = (recipient: string): NewLogEntry => ({
  broadcastId: 'b-00000000000000aa',
  accountId: `acc-${recipient}`,
  channel: 'slack',
  recipient,
  senderId: 'p-cmoc',
  asCompany: true,
});

function job(recipient: string, send: () => Promise<string | undefined>): DeliveryJob {
  return {
    entry: entry(recipient),
    paceKey: `slack:${recipient}`,
    provider: 'Slack',
    send,
    check: async () => 'not_found',
    classify: (error) =>
      error instanceof SendFailure ? error : new SendFailure('ambiguous', `test: ${String(error)}`),
  };
}

function options(write: LeasedRunOptions['write']): LeasedRunOptions {
  return {
    deadline: Date.now() + WAIT_BOUND_MS,
    concurrency: 5,
    minIntervalMs: 0,
    maxAttempts: 5,
    previous: new Map(),
    leaseMs: WAIT_BOUND_MS,
    keepLease: async () => true,
    write,
  };
}

describe('leased runs sharing a process', () => {
  it("write a run's outcomes once no run here is sending, not while another run's post is in flight", async () => {
    const events: string[] = [];
    const writer =
      (run: string): LeasedRunOptions['write'] =>
      async (items) => {
        events.push(`${run} wrote ${items.map((i) => i.entry.recipient).join(',')}`);
      };

    // Run B: one post that Slack holds until the test lets it through.
    let releaseB!: () => void;
    const heldB = new Promise<void>((resolve) => (releaseB = resolve));
    let bStarted = false;
    const runB = deliverLeased(
      [
        job('CB1', async () => {
          bStarted = true;
          await heldB;
          events.push('B posted CB1');
          return 'ts-b1';
        }),
      ],
      options(writer('B')),
    );
    await waitFor("B's post to be in flight", () => (bStarted ? true : undefined));

    // Run A: one post that goes at once, one told to wait (so A is still running when B's post lands).
    let a2Tries = 0;
    const runA = deliverLeased(
      [
        job('CA1', async () => 'ts-a1'),
        job('CA2', async () => {
          a2Tries += 1;
          // Long enough that B's post lands first however busy the machine is.
          if (a2Tries === 1) throw new SendFailure('retry', 'slack: ratelimited', 1_000);
          return 'ts-a2';
        }),
      ],
      options(writer('A')),
    );
    await waitFor("A's first tries", () => (a2Tries === 1 ? true : undefined));
    // Let the attempts' continuations run: the old rule wrote CA1 here, with A's own sends all done.
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);

    releaseB();
    const [a, b] = await Promise.all([runA, runB]);
    expect(a).toMatchObject({ sent: 2, failed: 0, pending: 0, unsure: false });
    expect(b).toMatchObject({ sent: 1, failed: 0, pending: 0, unsure: false });
    // CA1 waited for B's post and was written as it landed, with B's own, while A was still waiting to
    // retry CA2 (written on its own at A's end).
    expect(events[0]).toBe('B posted CB1');
    expect(events.slice(1, 3).sort()).toEqual(['A wrote CA1', 'B wrote CB1']);
    expect(events.slice(3)).toEqual(['A wrote CA2']);
  });
});
