import { describe, expect, it } from 'vitest';
import type { Retrospective } from '../../lambdas/domain/retrospective.ts';
import type { RetroSummary } from '../../lambdas/domain/retrospective-summary.ts';
import { retroHeadlines } from '../../lambdas/messages/retrospective.ts';

/** The headline sentences where the figures are thin: nothing reached anyone, or only a promise was broken. */
const summary: RetroSummary = {
  accounts: 3,
  told: 0,
  neverTold: 3,
  firstMessage: {},
  updates: 0,
  onTime: 0,
  late: 0,
  missed: 0,
  bySender: { owner: 0, backup: 0, cmoc: 0, company: 0, broadcast: 0 },
  covered: 0,
  failures: 4,
  replies: 0,
  corrections: 0,
};
const retro = (s: Partial<RetroSummary>): Retrospective => ({
  incidentId: 'Q1',
  title: 'Exports are failing',
  severity: 'SEV1',
  startedAt: '2026-11-25T10:00:00.000Z',
  summary: { ...summary, ...s },
  accounts: [],
});

describe('the retrospective headline', () => {
  it('says nothing reached anyone, and still counts the failures', () => {
    expect(retroHeadlines(retro({}))).toEqual([
      'No update reached any of 3 accounts.',
      '4 failed recipients; 0 customer replies.',
    ]);
  });

  it('names a broken promise even when no follow-up was judged', () => {
    const lines = retroHeadlines(
      retro({ told: 3, neverTold: 0, updates: 3, missed: 2, bySender: { ...summary.bySender, owner: 3 } }),
    );
    expect(lines[1]).toBe('Cadence: 2 promised updates never sent.');
    expect(lines[2]).toBe('3 updates sent by owner 3; owners covered 0 times.');
  });

  it('counts the corrections sent, when there were any', () => {
    expect(retroHeadlines(retro({ corrections: 2 })).at(-1)).toBe(
      '4 failed recipients; 0 customer replies; 2 corrections sent.',
    );
  });
});
