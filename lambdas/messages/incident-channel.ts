import { formatClock } from '../domain/zoned-time.ts';
import type { PolicyConfig } from '../domain/policy.ts';
import { nextUpdateAt } from '../domain/schedule.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { Roster } from '../domain/roster.ts';
import type { AccountTold } from '../domain/told.ts';

/** Slack's longest channel name. */
const MAX_NAME = 80;
const ICON = { notified: '✅', pending: '⏳', failed: '⚠️' } as const;
/** The pinned message stays readable (and within Slack's limits) however many accounts are affected. */
const MAX_LINES = 40;

/**
 * `<prefix>-<yyyy-mm-dd>-<slug>`: the day the incident started, on its own clock (startedAt is on it), and
 * the title in the characters Slack allows, cut so the whole fits Slack's 80.
 */
export function incidentChannelName(
  prefix: string,
  incident: Pick<IncidentRecord, 'title' | 'startedAt' | 'incidentId' | 'reopenings'>,
): string {
  // A reopened incident gets a channel of its own: the first one is archived, and its name stays taken.
  const n = incident.reopenings ?? 0;
  const suffix = n > 0 ? `-reopened${n > 1 ? `-${n}` : ''}` : '';
  const head = `${prefix}-${incident.startedAt.slice(0, 10)}`;
  const slugOf = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const slug = slugOf(incident.title) || slugOf(incident.incidentId);
  return `${`${head}-${slug}`.slice(0, MAX_NAME - suffix.length).replace(/-+$/, '')}${suffix}`;
}

export function channelSummary(incident: IncidentRecord, roster: Roster, closing: boolean): string {
  const cmoc = roster.people.find((p) => p.id === incident.cmocId)?.name ?? incident.cmocId;
  const lead = roster.people.find((p) => p.id === incident.leadId)?.name;
  const lines = [
    `*${incident.severity} · ${incident.title}* (${incident.incidentId})`,
    `Services: ${incident.services.join(', ') || '—'} · regions: ${incident.regions.join(', ') || 'all'}`,
    `CMOC: ${cmoc}${lead ? ` · engineering lead: ${lead}` : ''}`,
  ];
  const previous = incident.incidentChannel?.previous;
  if (previous && !closing) lines.push(`Reopened after it was resolved; the time before: <#${previous.id}>.`);
  if (closing) {
    lines.push(
      `Resolved${incident.resolvedAt ? ` at ${formatClock(new Date(incident.resolvedAt), 'UTC')} UTC` : ''}.`,
    );
    if (incident.writeUpUrl) lines.push(`Write-up: ${incident.writeUpUrl}`);
    lines.push('This channel is archived now.');
  }
  return lines.join('\n');
}

/** The pinned status: severity, when the next update is due, and per account who has been told. */
export function channelStatus(
  incident: IncidentRecord,
  roster: Roster,
  told: readonly AccountTold[],
  policy: PolicyConfig | undefined,
): string {
  const next = nextUpdateAt(incident, policy);
  const due =
    next !== undefined && incident.status !== 'resolved'
      ? `${formatClock(new Date(next), 'UTC')} UTC`
      : incident.status === 'resolved'
        ? 'none (resolved)'
        : 'after the first update';
  const lines = told.slice(0, MAX_LINES).map((t) => {
    const name = roster.accounts.find((a) => a.id === t.accountId)?.name ?? t.accountId;
    const via = t.via.length > 0 ? ` (${t.via.join(', ')})` : '';
    return `${ICON[t.state]} ${name} — ${t.state === 'notified' ? `told${via}` : t.state === 'failed' ? 'not reached' : 'not told yet'}`;
  });
  if (told.length > MAX_LINES) lines.push(`…and ${told.length - MAX_LINES} more (see \`/comms status\`)`);
  return [
    `📌 *Status · ${incident.severity}* · ${incident.status}`,
    `Next update due: ${due}`,
    lines.length > 0 ? lines.join('\n') : 'No customer update yet.',
  ].join('\n');
}
