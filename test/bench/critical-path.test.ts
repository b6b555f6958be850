import { describe, expect, it } from 'vitest';
import type { Invocation } from '../../local/invocations.ts';
import { longestChain, sequentialRoundTrips, totalCalls, type Call } from '../../bench/critical-path.ts';

const inv = (id: number, functionName: string, startedAt: number, endedAt?: number): Invocation => ({
  id,
  functionName,
  startedAt,
  ...(endedAt === undefined ? {} : { endedAt }),
});
const call = (invocationId: number, service: Call['service'], at: number): Call => ({
  service,
  operation: 'op',
  at,
  invocationId,
});

describe('the critical path through the invocations the local runtime ran', () => {
  it('keeps one of the iterations that ran side by side and every step that ran one after another', () => {
    const invocations = [
      inv(1, 'front-door', 0, 10),
      inv(2, 'draft', 12, 20),
      inv(3, 'ask', 21, 30),
      inv(4, 'ask', 21, 31),
      inv(5, 'ask', 22, 35),
    ];
    const calls = [call(2, 'dynamodb', 13), call(2, 'dynamodb', 14), call(5, 'slack', 34)];
    const path = longestChain(invocations, calls, 0, invocations[4]!);
    expect(path.map((s) => s.functionName)).toEqual(['front-door', 'draft', 'ask']);
    expect(totalCalls(path, 'dynamodb')).toBe(2);
    expect(totalCalls(path, 'slack')).toBe(1);
  });

  it('lets the next step start once the previous one has handed on (an async invoke), not only at its end', () => {
    const invocations = [inv(1, 'front-door', 0, 50), inv(2, 'follow-up', 5, 40), inv(3, 'task', 41, 60)];
    const calls = [call(1, 'lambda', 4), call(2, 'stepfunctions', 30)];
    const path = longestChain(invocations, calls, 0, invocations[2]!);
    expect(path.map((s) => s.functionName)).toEqual(['front-door', 'follow-up', 'task']);
  });

  it('counts the last invocation while it is still running, and nothing from before the start', () => {
    const invocations = [inv(1, 'earlier-incident', 0, 5), inv(2, 'front-door', 10, 20), inv(3, 'ask', 25)];
    const path = longestChain(invocations, [], 10, invocations[2]!);
    expect(path.map((s) => s.functionName)).toEqual(['front-door', 'ask']);
  });
});

describe('round trips one after another', () => {
  const timed = (at: number, endedAt: number): Call => ({ ...call(1, 'dynamodb', at), endedAt });

  it('counts writes sent side by side once, and the read after them once more', () => {
    expect(sequentialRoundTrips([timed(0, 5), timed(0, 6), timed(1, 7), timed(8, 10)])).toBe(2);
  });

  it('counts calls one after another each', () => {
    expect(sequentialRoundTrips([timed(0, 1), timed(2, 3), timed(4, 5)])).toBe(3);
  });
});
