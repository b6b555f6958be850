import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../support/roster-issues.ts';
import { parseRoster } from '../../lambdas/domain/index.ts';

/** A person's `pagerdutyUserId`: how PagerDuty's assignee becomes the incident's engineering lead. */
type Input = { people: Record<string, unknown>[] };
const example = () => JSON.parse(readFileSync('config/roster.example.json', 'utf8')) as Input;

function withPagerDutyIds(ids: Record<number, unknown>): Input {
  const input = example();
  for (const [index, value] of Object.entries(ids)) {
    const person = input.people[Number(index)];
    if (!person) throw new Error(`the example has no people[${index}]`);
    person.pagerdutyUserId = value;
  }
  return input;
}

describe('people[].pagerdutyUserId', () => {
  it('is optional, and kept when it is a PagerDuty user id', () => {
    const roster = parseRoster(withPagerDutyIds({ 2: 'PLENA01' }));
    expect(roster.people[2]).toMatchObject({ id: 'lena', pagerdutyUserId: 'PLENA01' });
    expect(roster.people[0]?.pagerdutyUserId).toBeUndefined();
  });

  it.each(['plena01', 'U0AMER03', 'P12', 'PABC 123', 42])(
    'a value that is not a PagerDuty user id (%j) names the person, the field and the value',
    (value) => {
      const issues = issuesOf(withPagerDutyIds({ 2: value }));
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toBe('people[2].pagerdutyUserId');
      expect(issues[0]?.message).toMatch(/^people\[2\] \(id "lena"\): pagerdutyUserId /);
      if (typeof value === 'string') {
        expect(issues[0]?.message).toBe(
          `people[2] (id "lena"): pagerdutyUserId must be a PagerDuty user id such as PABC123 (P and 5–13 capitals or digits) (got "${value}")`,
        );
      }
    },
  );

  it('two people with the same PagerDuty user: the second is refused, naming the first', () => {
    expect(issuesOf(withPagerDutyIds({ 2: 'PSHARED1', 3: 'PSHARED1' }))).toEqual([
      {
        path: 'people[3].pagerdutyUserId',
        message: 'people[3] (id "diego"): pagerdutyUserId "PSHARED1" is also used by people[2] (id "lena")',
      },
    ]);
  });
});
