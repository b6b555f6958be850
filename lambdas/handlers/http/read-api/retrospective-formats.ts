import type { Retrospective } from '../../../domain/retrospective.ts';
import { accountName, personName, type Roster } from '../../../domain/roster.ts';
import { clockOf, lateLines, retroHeadlines, ROLE_WORDS } from '../../../messages/retrospective.ts';
import { csvOf } from './export.ts';

/**
 * The retrospective as CSV and Markdown (the JSON is the record itself). Names beside ids, as the log's
 * export has them; no addresses or numbers: the notification log's export has those.
 */
export const RETRO_COLUMNS = [
  'incident_id',
  'account_id',
  'account_name',
  'owner_id',
  // update: one per update the account got (a round's, or a broadcast's); missed: a promised update that never came; failure: a
  // recipient that failed for good; not_told: the account heard nothing.
  'kind',
  'round',
  'broadcast_id',
  'phase',
  'at',
  'minutes_since_start',
  'sender_id',
  'sender_name',
  'sent_by',
  'via',
  'timing',
  'promised_minutes',
  'due_at',
  'late_by_minutes',
  'channel',
  'error',
  'account_replies',
  'account_corrections',
] as const;

type Row = Record<(typeof RETRO_COLUMNS)[number], string | number | boolean | null>;

export function retroCsv(retro: Retrospective, roster: Roster | undefined): string {
  const empty = Object.fromEntries(RETRO_COLUMNS.map((c) => [c, null])) as Row;
  const start = Date.parse(retro.startedAt);
  const rows: Row[] = retro.accounts.flatMap((a) => {
    const base: Row = {
      ...empty,
      incident_id: retro.incidentId,
      account_id: a.accountId,
      account_name: roster ? accountName(roster, a.accountId) : null,
      owner_id: a.ownerId ?? null,
      account_replies: a.replies,
      account_corrections: a.corrections,
    };
    const updates = a.updates.map((u) => ({
      ...base,
      kind: 'update',
      round: u.round ?? null,
      broadcast_id: u.broadcastId ?? null,
      phase: u.phase,
      at: u.at,
      minutes_since_start: Math.round((Date.parse(u.at) - start) / 60_000),
      sender_id: u.senderId,
      sender_name: roster ? personName(roster, u.senderId) : null,
      sent_by: u.sentBy,
      via: u.via.join(' '),
      timing: u.timing,
      promised_minutes: u.promised?.minutes ?? null,
      due_at: u.promised?.dueAt ?? null,
      late_by_minutes: u.lateByMinutes ?? null,
    }));
    const missed = a.missed
      ? [{ ...base, kind: 'missed', round: a.missed.afterRound, timing: 'missed', due_at: a.missed.dueAt }]
      : [];
    const failures = a.failures.map((f) => ({
      ...base,
      kind: 'failure',
      round: f.round ?? null,
      broadcast_id: f.broadcastId ?? null,
      channel: f.channel,
      error: f.error,
    }));
    const silent = a.updates.length === 0 ? [{ ...base, kind: 'not_told' }] : [];
    return [...updates, ...missed, ...failures, ...silent];
  });
  return csvOf(RETRO_COLUMNS, rows);
}

/** A cell of a Markdown table: a pipe or a line break in a name would break the row. */
const md = (text: string | number) =>
  String(text)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

export function retroMarkdown(retro: Retrospective, roster: Roster | undefined): string {
  const name = (id: string) => md(roster ? accountName(roster, id) : id);
  const person = (id: string | undefined) => md(roster ? personName(roster, id) : (id ?? ''));
  const closed = retro.resolvedAt ? `, resolved ${clockOf(retro.resolvedAt)}` : ', still open';
  const late = lateLines(retro, roster);
  const failures = retro.accounts.flatMap((a) =>
    a.failures.map(
      (f) =>
        `- ${name(a.accountId)}, ${f.round !== undefined ? `round ${f.round}` : `broadcast ${f.broadcastId ?? ''}`}, ${f.channel}: ${md(f.error)}`,
    ),
  );
  return [
    `# Comms retrospective · ${retro.severity} · ${md(retro.title)} (${retro.incidentId})`,
    '',
    `Started ${clockOf(retro.startedAt)}${closed}. Times UTC, on the incident's clock.`,
    '',
    ...retroHeadlines(retro).map((line) => `- ${line}`),
    '',
    '| Account | Owner | First message (min) | Updates | On time | Late | Missed | Sent by | Failures | Replies |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...retro.accounts.map((a) => {
      const count = (t: string) => a.updates.filter((u) => u.timing === t).length;
      const by = [...new Set(a.updates.map((u) => ROLE_WORDS[u.sentBy]))].join(', ') || '—';
      return `| ${name(a.accountId)} | ${person(a.ownerId)} | ${a.minutesToFirstMessage ?? 'never told'} | ${a.updates.length} | ${count('on_time')} | ${count('late')} | ${a.missed ? 1 : 0} | ${by} | ${a.failures.length} | ${a.replies} |`;
    }),
    ...(late.length ? ['', '## Late or missed', '', ...late.map((l) => `- ${md(l)}`)] : []),
    ...(failures.length ? ['', '## Failures', '', ...failures] : []),
    '',
  ].join('\n');
}
