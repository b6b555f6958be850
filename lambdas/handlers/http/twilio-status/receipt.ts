import type { DeliveryStatus } from '../../../domain/records/notification.ts';

/**
 * What one Twilio status callback says, and what the log makes of it. Pure.
 *
 * Twilio posts every step of a message (accepted, queued, sending, sent, delivered, undelivered, failed,
 * and channel-specific ones such as read). The log keeps the steps that tell the CMOC something about the
 * customer: the carrier took it (`sent`), and how it ended.
 */
export const RECORDED: ReadonlySet<string> = new Set<DeliveryStatus>([
  'sent',
  'delivered',
  'undelivered',
  'failed',
]);

/** Carrier-side errors a receipt can carry (Twilio's 30xxx), in a few words for the CMOC. */
const REASONS: Readonly<Record<number, string>> = {
  30001: 'queue overflow',
  30002: 'account suspended',
  30003: 'unreachable handset (off, out of coverage or unable to take SMS)',
  30004: 'blocked by the recipient or their carrier',
  30005: 'unknown number (no longer in service)',
  30006: 'landline or unreachable carrier',
  30007: 'filtered by the carrier',
  30008: 'unknown carrier error',
  30009: 'missing segment',
  30010: 'price exceeds the maximum price',
  30034: 'sender number not registered for A2P 10DLC',
};

/** "30006 landline or unreachable carrier"; codes without a known meaning point at Twilio's page. */
export function describeError(code: string | undefined): string {
  if (!code) return 'no error code given';
  const reason = REASONS[Number(code)];
  return reason ? `${code} ${reason}` : `${code} (see https://www.twilio.com/docs/api/errors/${code})`;
}

export type ParsedReceipt =
  { ok: true; messageSid: string; messageStatus: string; errorCode?: string } | { ok: false; error: string };

/** Message SIDs are two letters (SM, MM) and 32 hex digits: nothing else reaches a table key. */
const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
const STATUS = /^[a-z_]{1,32}$/;
const ERROR_CODE = /^\d{1,6}$/;

export function parseReceipt(form: URLSearchParams): ParsedReceipt {
  const messageSid = form.get('MessageSid') ?? '';
  const messageStatus = form.get('MessageStatus') ?? '';
  if (!messageSid) return { ok: false, error: 'MessageSid is missing' };
  if (!SID.test(messageSid)) return { ok: false, error: 'MessageSid is not a Twilio message SID' };
  if (!messageStatus) return { ok: false, error: 'MessageStatus is missing' };
  if (!STATUS.test(messageStatus)) return { ok: false, error: 'MessageStatus is not a Twilio status' };
  const errorCode = form.get('ErrorCode') ?? undefined;
  return {
    ok: true,
    messageSid,
    messageStatus,
    ...(errorCode && ERROR_CODE.test(errorCode) ? { errorCode } : {}),
  };
}
