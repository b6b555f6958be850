import type { Roster } from '../domain/roster.ts';
import type { LogEntry } from '../domain/records/notification.ts';
import { accountName, personName } from '../domain/roster.ts';
import {
  tallyTold,
  toldByLatestRound,
  whoWasTold,
  type AccountTold,
  type ToldState,
} from '../domain/told.ts';

/**
 * Where each account stands, from the notification log: the CMOC's "central log of who's been notified"
 * condensed for a DM. Long lists show the accounts that need attention first and count the rest.
 */
const MAX_LINES = 40;

export interface AccountState {
  accountId: string;
  state: ToldState;
  text: string;
}

function describe(roster: Roster, told: AccountTold): AccountState {
  const name = accountName(roster, told.accountId);
  const { accountId, state } = told;
  if (state === 'notified')
    return {
      accountId,
      state,
      text: `${name}: notified by ${personName(roster, told.sentBy)} (${told.via.join(', ')})`,
    };
  if (state === 'failed')
    return { accountId, state, text: `${name}: failed (${told.failures[0]?.error ?? 'error'})` };
  const sending = told.inFlight > 0 ? ` (${told.inFlight} still being sent)` : '';
  return { accountId, state, text: `${name}: pending${sending}` };
}

/** Every account of the round, logged or not (one not sent to yet is pending). */
export function accountStates(roster: Roster, accountIds: string[], log: LogEntry[]): AccountState[] {
  return whoWasTold(accountIds, log).map((told) => describe(roster, told));
}

/** "12 notified, 3 pending, 1 failed of 16 accounts." and the lines worth reading. */
export function stateLines(states: AccountState[]): { counts: string; lines: string[] } {
  const tally = tallyTold(states);
  const counts = `${tally.notified} notified, ${tally.pending} pending, ${tally.failed} failed of ${tally.total} account${tally.total === 1 ? '' : 's'}.`;
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
  return toldByLatestRound(rounds, log).map((told) => {
    const state = describe(roster, told);
    return { ...state, text: `${state.text} (round ${told.round})` };
  });
}
