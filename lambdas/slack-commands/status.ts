import type { Roster } from '../core/roster.ts';
import type { IncidentRecord } from '../adapters/incidents.ts';
import { logOf, type LogEntry } from '../adapters/notification-log.ts';
import { getRound } from '../adapters/rounds.ts';
import type { Subcommand } from './context.ts';
import { whichIncident } from './which.ts';
import { formatClock } from '../core/index.ts';
import { personName } from '../core/roster.ts';

/** A reply stays readable (and under Slack's message limits) however many accounts an incident touches. */
const MAX_LINES = 40;

type AccountState = 'pending' | 'failed' | 'sending' | 'notified';
const ORDER: AccountState[] = ['pending', 'failed', 'sending', 'notified'];
const ICON: Record<AccountState, string> = { pending: '⏳', failed: '⚠️', sending: '📤', notified: '✅' };

const time = (iso: string | undefined) => (iso ? ` at ${formatClock(new Date(iso), 'UTC')}` : '');
/** An SMS Twilio took but the carrier later reported lost (its receipt): sent, yet not received. */
const undelivered = (e: LogEntry): string =>
  e.deliveryStatus === 'undelivered' || e.deliveryStatus === 'failed'
    ? ` ⚠️ not delivered${e.deliveryError ? ` (${e.deliveryError.slice(0, 80)})` : ''}`
    : '';

function stateOf(entries: LogEntry[]): AccountState {
  if (entries.length === 0) return 'pending';
  if (entries.some((e) => e.status === 'sent' || e.status === 'sent_by_owner')) return 'notified';
  // Anything not final (claimed, being retried) is still on its way.
  if (entries.some((e) => e.status !== 'failed')) return 'sending';
  return 'failed';
}

function lineFor(roster: Roster, accountId: string, entries: LogEntry[], state: AccountState): string {
  const account = roster.accounts.find((a) => a.id === accountId);
  const name = account?.name ?? accountId;
  if (state === 'pending')
    return `${ICON.pending} ${name} — waiting for ${personName(roster, account?.ownerId ?? '?')}`;
  const done = entries.filter((e) =>
    state === 'notified' ? e.status === 'sent' || e.status === 'sent_by_owner' : true,
  );
  const how = done
    .map((e) => {
      const by =
        e.status === 'sent_by_owner'
          ? `sent by ${personName(roster, e.senderId)} themselves`
          : `by ${personName(roster, e.senderId)}`;
      const what =
        state === 'failed'
          ? `${e.channel} failed${e.error ? ` (${e.error.slice(0, 80)})` : ''}`
          : `${e.channel} ${by}`;
      return `${what}${time(e.sentAt)}${undelivered(e)}`;
    })
    .join('; ');
  return `${ICON[state]} ${name} — ${how}`;
}

function header(roster: Roster, incident: IncidentRecord): string {
  const state = incident.status === 'resolved' ? 'resolved' : 'open';
  const window = incident.maintenance
    ? ` · window ${incident.maintenance.start.slice(0, 16).replace('T', ' ')}–${incident.maintenance.end.slice(11, 16)} UTC`
    : '';
  const lead = incident.leadId ? ` · lead ${personName(roster, incident.leadId)}` : '';
  return `*${incident.severity} · ${incident.title}* (\`${incident.incidentId}\`) — ${state} · CMOC ${personName(roster, incident.cmocId)}${lead}${window}`;
}

/** `/comms status [id]`: per account of the latest round, who has been told (how, by whom) and who not yet. */
export const status: Subcommand = async (ctx, text) => {
  const which = await whichIncident(ctx, text, 'status');
  if (!which.ok) return which.reply;
  const { incident } = which;
  const round = incident.rounds > 0 ? await getRound(incident.incidentId, incident.rounds) : undefined;
  if (!round) return `${header(ctx.roster, incident)}\nNo update has been drafted yet.`;
  const log = await logOf(incident.incidentId, round.round);
  const byAccount = new Map<string, LogEntry[]>(round.accountIds.map((id) => [id, []]));
  for (const entry of log) byAccount.get(entry.accountId)?.push(entry);
  const states = [...byAccount].map(([accountId, entries]) => ({
    accountId,
    entries,
    state: stateOf(entries),
  }));
  const count = (s: AccountState) => states.filter((x) => x.state === s).length;
  const lines = ORDER.flatMap((s) =>
    states.filter((x) => x.state === s).map((x) => lineFor(ctx.roster, x.accountId, x.entries, s)),
  );
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > shown.length) shown.push(`…and ${lines.length - shown.length} more accounts.`);
  return [
    header(ctx.roster, incident),
    `Round ${round.round} (${round.phase}): ${count('notified')} notified · ${count('pending')} pending · ${count('sending')} sending · ${count('failed')} failed, of ${states.length} accounts`,
    ...shown,
  ].join('\n');
};
