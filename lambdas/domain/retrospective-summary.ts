import type { RetroAccount, SenderRole } from './retrospective.ts';

/** The retrospective's headline figures, counted from its accounts (domain/retrospective.ts). */
export interface RetroSummary {
  accounts: number;
  told: number;
  neverTold: number;
  firstMessage: { medianMinutes?: number; longestMinutes?: number };
  updates: number;
  onTime: number;
  late: number;
  missed: number;
  bySender: Record<SenderRole, number>;
  /** Round updates an owner had to be covered for (a backup, a CMOC or the company sent instead). */
  covered: number;
  failures: number;
  replies: number;
  corrections: number;
}

export function summarise(accounts: readonly RetroAccount[]): RetroSummary {
  const updates = accounts.flatMap((a) => a.updates);
  const firsts = accounts
    .map((a) => a.minutesToFirstMessage)
    .filter((m): m is number => m !== undefined)
    .sort((a, b) => a - b);
  const bySender: Record<SenderRole, number> = { owner: 0, backup: 0, cmoc: 0, company: 0, broadcast: 0 };
  for (const u of updates) bySender[u.sentBy] += 1;
  const median = firsts.length ? firsts[Math.floor((firsts.length - 1) / 2)] : undefined;
  const longest = firsts.at(-1);
  return {
    accounts: accounts.length,
    told: firsts.length,
    neverTold: accounts.length - firsts.length,
    firstMessage: {
      ...(median !== undefined ? { medianMinutes: median } : {}),
      ...(longest !== undefined ? { longestMinutes: longest } : {}),
    },
    updates: updates.length,
    onTime: updates.filter((u) => u.timing === 'on_time').length,
    late: updates.filter((u) => u.timing === 'late').length,
    missed: accounts.filter((a) => a.missed).length,
    bySender,
    covered: accounts.reduce((n, a) => n + a.covered, 0),
    failures: accounts.reduce((n, a) => n + a.failures.length, 0),
    replies: accounts.reduce((n, a) => n + a.replies, 0),
    corrections: accounts.reduce((n, a) => n + a.corrections, 0),
  };
}
