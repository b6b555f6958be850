import { describe, expect, it } from 'vitest';
import {
  broadcastExecutionName,
  childExecutionNames,
  executionNameFor,
  MAX_EXECUTION_NAME,
  ROUND_ATTEMPT_SUFFIX,
} from '../../lambdas/contract/execution-names.ts';

/** Step Functions' rule for names (docs/architecture.md, "Facts that bite"). */
const VALID = /^[0-9A-Za-z_-]{1,80}$/;

describe('execution names', () => {
  it('names an incident, its rounds and its write-up after the incident', () => {
    const incident = executionNameFor('Q1ABC');
    expect(incident).toBe('incident-Q1ABC');
    expect(childExecutionNames(incident, 3)).toEqual({
      round: 'incident-Q1ABC-round-3',
      writeUp: 'incident-Q1ABC-write-up',
    });
    expect(childExecutionNames('incident-Q1ABC-r2', 7).round).toBe('incident-Q1ABC-r2-round-7');
    expect(broadcastExecutionName('b-0123456789abcdef')).toBe('broadcast-b-0123456789abcdef');
  });

  it('keeps every name within 80 characters of the allowed set, leaving room for the per-start suffix', () => {
    for (const id of ['x', 'P'.repeat(200), 'weird id/with:chars.é', `${'Z'.repeat(75)}#1`]) {
      const names = childExecutionNames(executionNameFor(id), 12_345);
      expect(names.writeUp).toMatch(VALID);
      expect(`${names.round}-abcdef01`).toMatch(VALID);
      expect(names.round.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME - ROUND_ATTEMPT_SUFFIX);
      expect(names.round).toMatch(/-round-12345$/);
      expect(names.writeUp).toMatch(/-write-up$/);
    }
  });

  it('keeps two long incidents that share a beginning apart once cut', () => {
    const a = childExecutionNames(`incident-${'A'.repeat(90)}-1`, 1);
    const b = childExecutionNames(`incident-${'A'.repeat(90)}-2`, 1);
    expect(a.round).not.toBe(b.round);
    expect(a.writeUp).not.toBe(b.writeUp);
    expect(a.round.startsWith('incident-AAAA')).toBe(true);
  });
});
