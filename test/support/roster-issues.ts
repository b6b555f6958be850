import { expect } from 'vitest';
import { RosterError, parseRoster, type ValidationIssue } from '../../lambdas/domain/index.ts';

/** The issues a roster is refused with; fails the test when it is accepted or refused some other way. */
export function issuesOf(input: unknown): ValidationIssue[] {
  try {
    parseRoster(input);
  } catch (error) {
    expect(error).toBeInstanceOf(RosterError);
    expect((error as RosterError).name).toBe('RosterError');
    return (error as RosterError).issues;
  }
  throw new Error('expected a RosterError');
}
