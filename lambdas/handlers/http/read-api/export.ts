import type { Roster } from '../../../domain/roster.ts';
import type { AnyLogEntry, ReplyEntry } from '../../../domain/records/notification.ts';
import { isUntold, type AccountTold } from '../../../domain/told.ts';

/**
 * The notification log as export rows: one per recipient per update (or broadcast), flat, with names
 * beside ids so a person can read it. The same rows serve JSON and CSV.
 */
export const COLUMNS = [
  'kind',
  'incident_id',
  'round',
  'broadcast_id',
  'account_id',
  'account_name',
  'channel',
  'recipient',
  'sender_id',
  'sender_name',
  'as_company',
  'status',
  'claimed_at',
  'sent_at',
  'provider_id',
  'attempts',
  'error',
  // SMS only: what Twilio's receipts said after the send (sent, delivered, undelivered, failed).
  'delivery_status',
  'delivery_error',
  'delivered_at',
] as const;

export type ExportRow = Record<(typeof COLUMNS)[number], string | number | boolean | null>;

export function exportRows(entries: readonly AnyLogEntry[], roster: Roster | undefined): ExportRow[] {
  const accountName = new Map(roster?.accounts.map((a) => [a.id, a.name]) ?? []);
  const personName = new Map(roster?.people.map((p) => [p.id, p.name]) ?? []);
  return entries.map((e) => ({
    // A correction of an update is its own line, never a telling (domain/told.ts reads none).
    kind: e.broadcastId !== undefined ? 'broadcast' : e.correction === undefined ? 'update' : 'correction',
    incident_id: e.incidentId ?? null,
    round: e.round ?? null,
    broadcast_id: e.broadcastId ?? null,
    account_id: e.accountId,
    account_name: accountName.get(e.accountId) ?? null,
    channel: e.channel,
    recipient: e.recipient,
    sender_id: e.senderId,
    sender_name: personName.get(e.senderId) ?? null,
    as_company: e.asCompany === true,
    status: e.status,
    claimed_at: e.claimedAt,
    sent_at: e.sentAt ?? null,
    provider_id: e.providerId ?? null,
    attempts: e.attempts ?? null,
    error: e.error ?? null,
    delivery_status: e.deliveryStatus ?? null,
    delivery_error: e.deliveryError ?? null,
    delivered_at: e.deliveredAt ?? null,
  }));
}

/**
 * A customer's reply as a row on its account's line: from the customer (their Slack user), in their
 * channel, `status` recorded/forwarded, `provider_id` the reply's own message. Never a telling.
 */
export function replyRows(replies: readonly ReplyEntry[], roster: Roster | undefined): ExportRow[] {
  const accountName = new Map(roster?.accounts.map((a) => [a.id, a.name]) ?? []);
  return replies.map((r) => ({
    kind: 'reply',
    incident_id: r.incidentId ?? null,
    round: r.round ?? null,
    broadcast_id: r.broadcastId ?? null,
    account_id: r.accountId,
    account_name: accountName.get(r.accountId) ?? null,
    channel: 'slack',
    recipient: r.channel,
    sender_id: r.userId,
    sender_name: null,
    as_company: false,
    status: r.status,
    claimed_at: r.receivedAt,
    sent_at: r.forwardedAt ?? null,
    provider_id: r.messageTs,
    attempts: null,
    error: null,
    delivery_status: null,
    delivery_error: null,
    delivered_at: null,
  }));
}

/** What an account with nothing logged yet was due: an incident's round, or a broadcast. */
export interface UntoldContext {
  incidentId?: string;
  round?: number;
  broadcastId?: string;
}

/**
 * One row per account nobody has sent to yet, status `pending` and no recipient: the log alone would leave
 * them out, and an export that lists only who was tried reads as if nobody was missed.
 */
export function untoldRows(
  told: readonly (AccountTold & { round?: number })[],
  context: UntoldContext,
  roster: Roster | undefined,
): ExportRow[] {
  const accountName = new Map(roster?.accounts.map((a) => [a.id, a.name]) ?? []);
  return told.filter(isUntold).map((t) => ({
    kind: context.broadcastId ? 'broadcast' : 'update',
    incident_id: context.incidentId ?? null,
    round: t.round ?? context.round ?? null,
    broadcast_id: context.broadcastId ?? null,
    account_id: t.accountId,
    account_name: accountName.get(t.accountId) ?? null,
    channel: null,
    recipient: null,
    sender_id: null,
    sender_name: null,
    as_company: false,
    status: 'pending',
    claimed_at: null,
    sent_at: null,
    provider_id: null,
    attempts: null,
    error: null,
    delivery_status: null,
    delivery_error: null,
    delivered_at: null,
  }));
}

/** A phone number: digits only after the plus, so a spreadsheet can do no harm with it. */
const E164 = /^\+\d{7,15}$/;

/**
 * RFC 4180 CSV. A cell a spreadsheet would run as a formula (starting = + - @ or a control character) is
 * prefixed with an apostrophe; provider error texts and roster names are not ours to trust.
 */
export function toCsv(rows: readonly ExportRow[]): string {
  return csvOf(COLUMNS, rows);
}

/** The same CSV for any columns (the retrospective's rows too): one header, one line per row. */
export function csvOf<C extends string>(
  columns: readonly C[],
  rows: readonly Record<C, string | number | boolean | null>[],
): string {
  const cell = (value: string | number | boolean | null): string => {
    if (value === null) return '';
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text) && !E164.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
