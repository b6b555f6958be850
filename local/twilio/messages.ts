import { randomBytes } from 'node:crypto';
import type { SmsEncoding } from '../../lambdas/domain/sms.ts';
import { smsSize } from '../../lambdas/domain/sms.ts';

export type TwilioMessageStatus =
  'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface TwilioStoredMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  status: TwilioMessageStatus;
  numSegments: number;
  encoding: SmsEncoding;
  statusCallback?: string;
  /** The carrier's error (30003, 30006, …) once the message is undelivered or failed. */
  errorCode: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

/** Twilio's error body: `{ code, message, more_info, status }` with the HTTP status repeated. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  toJson(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
  }
}

/**
 * Twilio's test-credential magic numbers (docs: "Test credentials", SMS inputs), answered the same way here so
 * failure paths can be exercised locally. +15005550005 → 21635 (landline) is this stand-in's own addition:
 * Twilio has no magic number for it.
 */
const MAGIC_TO: Record<string, (to: string, from: string) => TwilioApiError> = {
  '+15005550001': (to) => new TwilioApiError(400, 21211, `Invalid 'To' Phone Number: ${to}`),
  '+15005550002': (to, from) =>
    new TwilioApiError(
      400,
      21612,
      `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: ${from} via SMS.`,
    ),
  '+15005550003': (to) =>
    new TwilioApiError(
      400,
      21408,
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`,
    ),
  '+15005550004': () => new TwilioApiError(400, 21610, 'Attempt to send to unsubscribed recipient'),
  '+15005550005': () => new TwilioApiError(400, 21635, "'To' number cannot be a landline"),
  '+15005550009': () => new TwilioApiError(400, 21614, "'To' number is not a valid mobile number"),
};

const MAGIC_FROM: Record<string, (from: string) => TwilioApiError> = {
  '+15005550001': (from) =>
    new TwilioApiError(
      400,
      21212,
      `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
    ),
  '+15005550007': (from) =>
    new TwilioApiError(
      400,
      21606,
      `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination.`,
    ),
  '+15005550008': () =>
    new TwilioApiError(400, 21611, "This 'From' number has exceeded the maximum number of queued messages"),
};

const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_BODY_CHARS = 1600;

export function sid(prefix: 'SM' | 'MM'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Validates a create-message form as Twilio does, then builds the stored message. Throws TwilioApiError. */
export function createMessage(accountSid: string, form: URLSearchParams): TwilioStoredMessage {
  const to = form.get('To')?.trim() ?? '';
  const from = form.get('From')?.trim() || null;
  const messagingServiceSid = form.get('MessagingServiceSid')?.trim() || null;
  const body = form.get('Body') ?? '';
  if (!to) throw new TwilioApiError(400, 21604, "A 'To' phone number is required.");
  if (!from && !messagingServiceSid) {
    throw new TwilioApiError(
      400,
      21603,
      "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
    );
  }
  if (!body && !form.get('MediaUrl')) throw new TwilioApiError(400, 21602, 'Message body is required.');
  if ([...body].length > MAX_BODY_CHARS) {
    throw new TwilioApiError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  }
  if (from) {
    const fromFault = MAGIC_FROM[from];
    if (fromFault) throw fromFault(from);
  }
  const toFault = MAGIC_TO[to];
  if (toFault) throw toFault(to, from ?? '');
  if (!E164.test(to)) throw new TwilioApiError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  const now = new Date();
  const statusCallback = form.get('StatusCallback') ?? undefined;
  // The product's own counter: the stand-in answers num_segments as Twilio does, from the same rules.
  const size = smsSize(body);
  return {
    sid: sid('SM'),
    accountSid,
    to,
    from,
    messagingServiceSid,
    body,
    // Twilio answers `accepted` when a Messaging Service will pick the sender, `queued` otherwise.
    status: from ? 'queued' : 'accepted',
    numSegments: size.segments,
    encoding: size.encoding,
    ...(statusCallback ? { statusCallback } : {}),
    errorCode: null,
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
  };
}

/** Twilio's dates are RFC 2822 with a numeric zone. */
function rfc2822(date: Date | null): string | null {
  return date ? date.toUTCString().replace('GMT', '+0000') : null;
}

/** The Message resource as the 2010-04-01 API renders it (numbers as strings where Twilio sends strings). */
export function toResource(m: TwilioStoredMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: rfc2822(m.dateSent),
    date_updated: rfc2822(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: String(m.numSegments),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: uri.replace('.json', '/Media.json') },
    to: m.to,
    uri,
  };
}
