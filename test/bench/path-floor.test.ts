import { describe, expect, it } from 'vitest';
import { median } from '../../bench/median.ts';
import { webhookToDmsSeconds } from '../../bench/webhook-path.ts';

describe('median', () => {
  it('takes the middle repetition, or the mean of the middle two', () => {
    expect(median([0.3, 0.1, 0.2])).toBe(0.2);
    expect(median([0.4, 0.1, 0.2, 0.3])).toBeCloseTo(0.25);
  });

  it('is not moved by one slow repetition', () => {
    expect(median([0.1, 0.1, 0.7, 0.1, 0.1])).toBe(0.1);
  });
});

describe('webhookToDmsSeconds', () => {
  const invocation = (id: number, startedAt: number, endedAt?: number) => ({
    id,
    functionName: `f${id}`,
    startedAt,
    ...(endedAt === undefined ? {} : { endedAt }),
  });

  it('leaves out the wait for the press: from the last invocation before it to the press', () => {
    // The webhook at 0 ms, parked by 300 ms, pressed at 380 ms, the last DM at 2,380 ms.
    const recording = {
      invocations: [invocation(1, 10, 120), invocation(2, 130, 300), invocation(3, 390, 900)],
    };
    expect(webhookToDmsSeconds(recording, 0, { lastDmAt: 2380 }, 380)).toBeCloseTo(2.3);
  });

  it('takes nothing off while an invocation was still running at the press', () => {
    const recording = { invocations: [invocation(1, 10, 500), invocation(2, 100)] };
    expect(webhookToDmsSeconds(recording, 0, { lastDmAt: 2000 }, 380)).toBeCloseTo(2);
  });

  it('counts only invocations since the webhook', () => {
    const recording = { invocations: [invocation(1, -500, 200), invocation(2, 10, 100)] };
    expect(webhookToDmsSeconds(recording, 0, { lastDmAt: 1000 }, 300)).toBeCloseTo(0.8);
  });
});
