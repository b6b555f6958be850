import type { Roster } from '../core/roster.ts';
import type { AnyLogEntry } from '../adapters/notification-log.ts';

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
    kind: e.broadcastId ? 'broadcast' : 'update',
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

/** A phone number: digits only after the plus, so a spreadsheet can do no harm with it. */
const E164 = /^\+\d{7,15}$/;

/**
 * RFC 4180 CSV. A cell a spreadsheet would run as a formula (starting = + - @ or a control character) is
 * prefixed with an apostrophe; provider error texts and roster names are not ours to trust.
 */
export function toCsv(rows: readonly ExportRow[]): string {
  const cell = (value: string | number | boolean | null): string => {
    if (value === null) return '';
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text) && !E164.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((c) => cell(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
