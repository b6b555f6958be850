import type { Roster } from '../core/roster.ts';
import type { LogEntry } from '../adapters/notification-log.ts';
import { accountName, personName } from '../core/roster.ts';

/**
 * Where each account stands, from the notification log: the CMOC's "central log of who's been notified"
 * condensed for a DM. Long lists show the accounts that need attention first and count the rest.
 */
const MAX_LINES = 40;

export interface AccountState {
  accountId: string;
  state: 'notified' | 'pending' | 'failed';
  text: string;
}

export function accountStates(roster: Roster, accountIds: string[], log: LogEntry[]): AccountState[] {
  return accountIds.map((accountId) => {
    const entries = log.filter((e) => e.accountId === accountId);
    const sent = entries.filter((e) => e.status === 'sent' || e.status === 'sent_by_owner');
    const bad = entries.filter((e) => e.status === 'failed');
    const name = accountName(roster, accountId);
    if (sent.length > 0) {
      const channels = [...new Set(sent.map((e) => e.channel))].join(', ');
      return {
        accountId,
        state: 'notified',
        text: `${name}: notified by ${personName(roster, sent[0]?.senderId)} (${channels})`,
      };
    }
    if (bad.length > 0)
      return { accountId, state: 'failed', text: `${name}: failed (${bad[0]?.error ?? 'error'})` };
    return { accountId, state: 'pending', text: `${name}: pending` };
  });
}

/** "12 notified, 3 pending, 1 failed of 16 accounts." and the lines worth reading. */
export function stateLines(states: AccountState[]): { counts: string; lines: string[] } {
  const count = (state: AccountState['state']) => states.filter((s) => s.state === state).length;
  const counts = `${count('notified')} notified, ${count('pending')} pending, ${count('failed')} failed of ${states.length} account${states.length === 1 ? '' : 's'}.`;
  const order = { failed: 0, pending: 1, notified: 2 } as const;
  const sorted = [...states].sort((a, b) => order[a.state] - order[b.state]);
  const lines = sorted.slice(0, MAX_LINES).map((s) => `• ${s.text}`);
  if (sorted.length > MAX_LINES)
    lines.push(`• … and ${sorted.length - MAX_LINES} more (all in \`/comms status\`)`);
  return { counts, lines };
}

/** The latest round each account was in, with that round's log: "where is every account now". */
export function latestStates(
  roster: Roster,
  rounds: { round: number; accountIds: string[] }[],
  log: LogEntry[],
): AccountState[] {
  const latest = new Map<string, number>();
  for (const round of rounds)
    for (const id of round.accountIds) latest.set(id, Math.max(latest.get(id) ?? 0, round.round));
  return [...latest].map(([accountId, round]) => {
    const [state] = accountStates(
      roster,
      [accountId],
      log.filter((e) => e.round === round),
    );
    return { ...state!, text: `${state!.text} (round ${round})` };
  });
}
