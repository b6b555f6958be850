import { describe, expect, it } from 'vitest';
import { median, medianBy } from '../../bench/median.ts';

describe('the bench medians', () => {
  it('take the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('take the item in the middle by its key, the upper of two, and refuse none', () => {
    const runs = [{ r: 1.24 }, { r: 1.19 }, { r: 1.21 }];
    expect(medianBy(runs, (run) => run.r)).toBe(runs[2]);
    expect(medianBy([...runs, { r: 1.3 }], (run) => run.r)).toBe(runs[0]);
    expect(() => medianBy([], (n: number) => n)).toThrow(/no items/);
  });
});
