import { accountName, personName, type Roster } from '../domain/roster.ts';
import type { BroadcastProgress, BroadcastRecord } from '../domain/records/broadcast.ts';

/**
 * What people inside the company read of a broadcast: the progress message in the engagement channel
 * (edited as batches finish), the CMOC's summary at the end, and the line `/comms broadcast status` shows.
 */

/** The line the CMOC and the engagement channel watch: "240 of 500 channels · 2 failed · about 12 s left". */
export function progressLine(p: BroadcastProgress, finished: boolean): string {
  const parts = [`${p.sent} of ${p.total} channel${p.total === 1 ? '' : 's'} sent`];
  if (p.failed > 0) parts.push(`${p.failed} failed`);
  if (finished) parts.push(p.pending > 0 ? `${p.pending} not sent` : 'done');
  else if (p.etaSeconds !== undefined) parts.push(`about ${formatSeconds(p.etaSeconds)} left`);
  return parts.join(' · ');
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.round(seconds / 60)} min`;
}

/** The progress message: who sent what and why, how far it has got, and a reminder to watch for replies. */
export function progressText(
  broadcast: BroadcastRecord,
  roster: Roster,
  progress: BroadcastProgress,
  finished: boolean,
): string {
  const who = personName(roster, broadcast.requestedBy);
  const head = `:mega: *Company broadcast* from ${who} (${broadcast.reason}) — ${progressLine(progress, finished)}`;
  const quoted = broadcast.text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const replies = 'Customers may reply in their own channels: please watch for replies and answer them.';
  return [head, quoted, replies].join('\n');
}

/** The CMOC's summary: what went out, what failed and why, who a Slack broadcast could not reach. */
export function summaryText(
  broadcast: BroadcastRecord,
  roster: Roster,
  progress: BroadcastProgress,
  failures: { accountId: string; error: string }[],
): string {
  const name = (id: string) => accountName(roster, id);
  const lines = [`:mega: Broadcast \`${broadcast.broadcastId}\` finished: ${progressLine(progress, true)}.`];
  if (failures.length > 0) {
    lines.push('Not delivered:');
    for (const f of failures.slice(0, 20)) lines.push(`• ${name(f.accountId)}: ${f.error}`);
    if (failures.length > 20) lines.push(`• …and ${failures.length - 20} more (see the log export)`);
  }
  const unreachable = broadcast.withoutSlack ?? [];
  if (unreachable.length > 0)
    lines.push(
      `No Slack channel, so not reached: ${unreachable.slice(0, 20).map(name).join(', ')}` +
        `${unreachable.length > 20 ? ` and ${unreachable.length - 20} more` : ''}.`,
    );
  return lines.join('\n');
}
