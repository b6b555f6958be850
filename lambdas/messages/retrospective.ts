import { formatClock } from '../domain/index.ts';
import type { RetroAccount, Retrospective, RetroUpdate, SenderRole } from '../domain/retrospective.ts';
import { accountName, personName, type Roster } from '../domain/roster.ts';

/**
 * The comms retrospective in words: the headline sentences the CMOC's closing DM, the write-up reminder
 * and the Markdown export all open with, and the notable updates (late, missed) they name. Plain text
 * that reads the same in Slack mrkdwn and in Markdown.
 */

export const ROLE_WORDS: Record<SenderRole, string> = {
  owner: 'owner',
  backup: 'backup',
  cmoc: 'CMOC',
  company: 'company',
  broadcast: 'broadcast',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const clockOf = (iso: string) => formatClock(new Date(iso), 'UTC');

/** Four sentences: who heard and how soon, the cadence kept, who sent, what failed and who answered. */
export function retroHeadlines(retro: Retrospective): string[] {
  const s = retro.summary;
  const corrections = s.corrections > 0 ? `; ${plural(s.corrections, 'correction')} sent` : '';
  const rest = `${plural(s.failures, 'failed recipient')}; ${plural(s.replies, 'customer reply', 'customer replies')}${corrections}.`;
  if (s.updates === 0) return [`No update reached any of ${plural(s.accounts, 'account')}.`, rest];
  const first = s.firstMessage;
  const told =
    `${s.told} of ${plural(s.accounts, 'account')} told; first message after ${first.medianMinutes ?? 0} min ` +
    `(median), ${first.longestMinutes ?? 0} min at the longest` +
    (s.neverTold ? `; ${s.neverTold} never told.` : '.');
  const judged = s.onTime + s.late;
  const missed = s.missed ? `${plural(s.missed, 'promised update')} never sent` : '';
  const cadence = judged
    ? `Cadence: ${s.onTime} of ${plural(judged, 'follow-up')} on time, ${s.late} late${missed ? `, ${missed}` : ''}.`
    : missed
      ? `Cadence: ${missed}.`
      : 'Cadence: no update promised another.';
  const senders = (Object.keys(ROLE_WORDS) as SenderRole[])
    .filter((role) => s.bySender[role] > 0)
    .map((role) => `${ROLE_WORDS[role]} ${s.bySender[role]}`)
    .join(', ');
  const sent = `${plural(s.updates, 'update')} sent by ${senders}; owners covered ${plural(s.covered, 'time')}.`;
  return [told, cadence, sent, rest];
}

/** One line per update that came late or never came, named for a person to read, account by account. */
export function lateLines(retro: Retrospective, roster: Roster | undefined): string[] {
  const name = (a: RetroAccount) => (roster ? accountName(roster, a.accountId) : a.accountId);
  const lines: string[] = [];
  for (const account of retro.accounts) {
    for (const u of account.updates.filter(
      (x): x is RetroUpdate & { promised: object } => x.timing === 'late',
    ))
      lines.push(
        `${name(account)}, round ${u.round}: due ${clockOf(u.promised.dueAt)}, came ${clockOf(u.at)} ` +
          `(${u.lateByMinutes ?? 0} min late), sent by ${sender(u, roster)}`,
      );
    if (account.missed)
      lines.push(
        `${name(account)}: round ${account.missed.afterRound} promised another by ${clockOf(account.missed.dueAt)}; none came`,
      );
  }
  return lines;
}

export const sender = (u: RetroUpdate, roster: Roster | undefined): string =>
  `${roster ? personName(roster, u.senderId) : u.senderId} (${ROLE_WORDS[u.sentBy]})`;

/** The CMOC's DM when the incident closes: the headline and at most `limit` late or missed updates. */
export function retroDm(retro: Retrospective, roster: Roster, limit = 5): string {
  const late = lateLines(retro, roster);
  const more = late.length > limit ? [`…and ${late.length - limit} more`] : [];
  return [
    `*${retro.severity} · ${retro.title}* — comms retrospective`,
    ...retroHeadlines(retro),
    ...late.slice(0, limit).map((l) => `• ${l}`),
    ...more,
    `The whole record: \`GET /api/incidents/${retro.incidentId}/retrospective\` (JSON, \`?format=csv\`, \`?format=md\`).`,
  ].join('\n');
}
