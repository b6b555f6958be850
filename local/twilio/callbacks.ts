import { randomUUID } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { TwilioMessageStatus, TwilioStoredMessage } from './messages.ts';

export interface CallbackAttempt {
  messageSid: string;
  status: TwilioMessageStatus;
  url: string;
  /** The receiver's HTTP status, or undefined when it could not be reached. */
  httpStatus?: number;
  error?: string;
  at: Date;
}

/** The pool number a Messaging Service "picks" when the request named no From. */
const SERVICE_SENDER = '+15005550006';

/**
 * Twilio's request signature, computed by Twilio's own helper (the `twilio` package) over the URL exactly
 * as the message's StatusCallback names it: what Twilio signs, and what the product's check must accept.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/**
 * Posts a status callback the way Twilio does: form-encoded, signed, with an idempotency token; `ErrorCode`
 * only with an error (undelivered, failed).
 */
export async function postStatusCallback(
  authToken: string,
  message: TwilioStoredMessage,
  status: TwilioMessageStatus,
  errorCode?: number | null,
): Promise<CallbackAttempt> {
  const url = message.statusCallback ?? '';
  const params: Record<string, string> = {
    AccountSid: message.accountSid,
    ApiVersion: '2010-04-01',
    From: message.from ?? SERVICE_SENDER,
    MessageSid: message.sid,
    MessageStatus: status,
    SmsSid: message.sid,
    SmsStatus: status,
    To: message.to,
    ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
    ...(errorCode ? { ErrorCode: String(errorCode) } : {}),
  };
  const attempt: CallbackAttempt = { messageSid: message.sid, status, url, at: new Date() };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(authToken, url, params),
        'i-twilio-idempotency-token': randomUUID(),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    attempt.httpStatus = response.status;
  } catch (error) {
    attempt.error = (error as Error).message;
  }
  return attempt;
}
