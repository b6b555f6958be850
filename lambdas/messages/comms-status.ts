import { coverReason, formatClock, whoIsAsked } from '../domain/index.ts';
import { personName, type Roster } from '../domain/roster.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { LogEntry } from '../domain/records/notification.ts';
import type { RoundRecord } from '../domain/records/round.ts';
import { isUntold, tallyTold, whoWasTold, type AccountTold } from '../domain/told.ts';

/**
 * The `/comms status` reply: the incident's header, then per account of the latest round who has been
 * told (how, by whom) and who is still waited for, the accounts that need attention first.
 */
/** A reply stays readable (and under Slack's message limits) however many accounts an incident touches. */
const MAX_LINES = 40;

type LineState = 'pending' | 'failed' | 'sending' | 'notified';
const ORDER: LineState[] = ['pending', 'failed', 'sending', 'notified'];
const ICON: Record<LineState, string> = { pending: '⏳', failed: '⚠️', sending: '📤', notified: '✅' };

const time = (iso: string | undefined) => (iso ? ` at ${formatClock(new Date(iso), 'UTC')}` : '');
/** An SMS Twilio took but the carrier later reported lost (its receipt): sent, yet not received. */
const undelivered = (e: LogEntry): string =>
  e.deliveryStatus === 'undelivered' || e.deliveryStatus === 'failed'
    ? ` ⚠️ not delivered${e.deliveryError ? ` (${e.deliveryError.slice(0, 80)})` : ''}`
    : '';

/** The one decision (domain/told.ts), shown with "sending" for a pending account something is in flight for. */
function stateOf(told: AccountTold): LineState {
  if (told.state === 'pending') return isUntold(told) ? 'pending' : 'sending';
  return told.state;
}

/**
 * Whom a pending account waits for: who was asked first when the round's asks went out, by the same rule
 * as the live ask (a backup covering an owner on PTO or off-hours). No presence lookup here, so among
 * several backups on shift this names the first.
 */
function waitingFor(roster: Roster, incident: IncidentRecord, round: RoundRecord, ownerId: string): string {
  const owner = roster.people.find((p) => p.id === ownerId);
  const cmoc = roster.people.find((p) => p.id === incident.cmocId);
  if (!owner || !cmoc) return personName(roster, ownerId);
  const first = whoIsAsked({ roster, owner, at: new Date(round.draftedAt), cmoc }).steps[0];
  if (!first || first.role === 'owner') return owner.name;
  if (first.role === 'backup')
    return `${first.person.name} (covering ${owner.name}, who ${coverReason(first.reason)})`;
  return `${first.person.name} (the CMOC: no backup is on shift to cover ${owner.name})`;
}

function lineFor(
  roster: Roster,
  accountId: string,
  entries: LogEntry[],
  state: LineState,
  waiting: (ownerId: string) => string,
): string {
  const account = roster.accounts.find((a) => a.id === accountId);
  const name = account?.name ?? accountId;
  if (state === 'pending') return `${ICON.pending} ${name} — waiting for ${waiting(account?.ownerId ?? '?')}`;
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

/** The reply for a round and its log (domain/told.ts decides; this says it). */
export function statusReply(input: {
  roster: Roster;
  incident: IncidentRecord;
  round: RoundRecord;
  log: LogEntry[];
}): string {
  const { roster, incident, round, log } = input;
  const told = whoWasTold(round.accountIds, log);
  const states = told.map((t) => ({
    accountId: t.accountId,
    entries: log.filter((e) => e.accountId === t.accountId),
    state: stateOf(t),
  }));
  const tally = tallyTold(told);
  const sending = states.filter((x) => x.state === 'sending').length;
  const waiting = (ownerId: string) => waitingFor(roster, incident, round, ownerId);
  const lines = ORDER.flatMap((s) =>
    states.filter((x) => x.state === s).map((x) => lineFor(roster, x.accountId, x.entries, s, waiting)),
  );
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > shown.length) shown.push(`…and ${lines.length - shown.length} more accounts.`);
  return [
    header(roster, incident),
    `Round ${round.round} (${round.phase}): ${tally.notified} notified · ${tally.pending} pending${sending > 0 ? ` (${sending} sending)` : ''} · ${tally.failed} failed, of ${tally.total} accounts`,
    ...(round.broadcastId
      ? [
          `The accounts with a Slack channel got it as a company broadcast: \`/comms broadcast status ${round.broadcastId}\``,
        ]
      : []),
    ...shown,
  ].join('\n');
}

/** The reply before the first round is drafted. */
export const notDraftedYet = (roster: Roster, incident: IncidentRecord): string =>
  `${header(roster, incident)}\nNo update has been drafted yet.`;
