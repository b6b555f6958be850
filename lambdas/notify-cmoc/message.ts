import type { Roster } from '../core/roster.ts';
import type { IncidentRecord } from '../adapters/incidents.ts';
import type { LogEntry } from '../adapters/notification-log.ts';
import type { RoundRecord } from '../adapters/rounds.ts';
import type { NotifyCmocInput } from '../payloads.ts';

const nameOf = (roster: Roster, personId: string | undefined) =>
  roster.people.find((p) => p.id === personId)?.name ?? personId ?? 'someone';
const accountName = (roster: Roster, accountId: string) =>
  roster.accounts.find((a) => a.id === accountId)?.name ?? accountId;

/** The CMOC's DM for each kind of notice: short, specific, saying what (if anything) they must do. */
export function cmocNotice(
  input: NotifyCmocInput,
  ctx: { incident: IncidentRecord; roster: Roster; round?: RoundRecord; log: LogEntry[] },
): string {
  const { incident, roster } = ctx;
  const title = `*${incident.severity} · ${incident.title}*`;
  const owner = nameOf(roster, input.ownerId);
  switch (input.kind) {
    case 'owner_timed_out':
      return `${title}\n${owner} did not answer in time for round ${input.round}. Their accounts have not been sent this update: please send it or assign someone.`;
    case 'owner_declined':
      return `${title}\n${owner} can't send round ${input.round}. Their accounts have not been sent this update: please send it or assign someone.`;
    case 'owner_unreachable':
      return `${title}\nCould not ask ${owner} about round ${input.round} (${input.error ?? 'error'}). Please reach their accounts directly.`;
    case 'delivery_failed':
      return `${title}\nDelivering ${owner}'s accounts in round ${input.round} failed (${input.error ?? 'error'}). Check the log with \`/comms status\`.`;
    case 'workflow_failed':
      return `${title}\nIncident comms stopped on an error (${input.error ?? 'unknown'}). Customers will not get further automatic updates: take over by hand.`;
    case 'closed':
      return `${title}\nResolved and closed. ${incident.rounds} update round${incident.rounds === 1 ? '' : 's'} went out; the full log is in \`/comms status\`.`;
    case 'round_summary':
      return roundSummary(title, ctx);
  }
}

function roundSummary(title: string, ctx: { roster: Roster; round?: RoundRecord; log: LogEntry[] }): string {
  const { round, log, roster } = ctx;
  if (!round) return `${title}\nRound summary unavailable: the round was not found.`;
  const lines: string[] = [];
  let notified = 0;
  let failed = 0;
  for (const accountId of round.accountIds) {
    const entries = log.filter((e) => e.accountId === accountId);
    const sent = entries.filter((e) => e.status === 'sent' || e.status === 'sent_by_owner');
    const bad = entries.filter((e) => e.status === 'failed');
    let state = 'pending';
    if (sent.length > 0) {
      state = `notified by ${nameOf(roster, sent[0]?.senderId)} (${[...new Set(sent.map((e) => e.channel))].join(', ')})`;
      notified += 1;
    } else if (bad.length > 0) {
      state = `failed: ${bad[0]?.error ?? 'error'}`;
      failed += 1;
    }
    lines.push(`• ${accountName(roster, accountId)}: ${state}`);
  }
  const pending = round.accountIds.length - notified - failed;
  return [
    `${title}\nRound ${round.round} (${round.phase}): ${notified} notified, ${pending} pending, ${failed} failed of ${round.accountIds.length} accounts.`,
    ...lines,
  ].join('\n');
}
