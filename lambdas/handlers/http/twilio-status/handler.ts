import { optionalEnv } from '../../../adapters/env.ts';
import { header, json, rawBody, type HttpEvent, type HttpResult } from '../../../adapters/http.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import type { DeliveryStatus } from '../../../domain/records/notification.ts';
import { secret } from '../../../adapters/secrets.ts';
import { findSmsLog, recordReceipt } from '../../../adapters/sms-receipts.ts';
import { tellCmoc } from './tell-cmoc.ts';
import { describeError, parseReceipt, RECORDED } from './receipt.ts';
import { verifyTwilioRequest } from './signature.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';
import { countSmsReceipt } from '../../../adapters/metrics.ts';
import { SMS_FINAL_STATUSES, type SmsFinalStatus } from '../../../contract/metrics.ts';

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * POST /webhooks/twilio/status — Twilio's message status callbacks (delivery receipts) for the SMS the
 * product sends. Answers: 401 without a valid X-Twilio-Signature; 400 `{ error }` for a body that is not a
 * form, or a callback without MessageSid / MessageStatus; 200 for every genuine callback, also those it does
 * not act on (queued, sending, a message it did not send, a receipt older than the one recorded), because
 * Twilio treats anything else as a failed delivery of the callback; 500 when recording failed.
 */
export const handler = lambdaHandler(async (event: HttpEvent): Promise<HttpResult> => {
  logContext({ route: 'twilio-status' });
  const signature = header(event, 'x-twilio-signature');
  if (!signature) return json(401, { error: 'missing X-Twilio-Signature' });
  // The signature covers the parsed form parameters: a body of another kind cannot be checked at all.
  if (!FORM.test(header(event, 'content-type') ?? '')) {
    return json(400, { error: 'body is not application/x-www-form-urlencoded' });
  }
  const body = rawBody(event);
  const authToken = await secret('TWILIO', 'TWILIO_AUTH_TOKEN');
  const verified = verifyTwilioRequest(authToken, {
    signature,
    url: callbackUrl(event),
    body,
    signatureSettings: header(event, 'x-twilio-webhooks-signature-settings'),
  });
  if (!verified.ok) return json(401, { error: verified.reason });
  const form = new URLSearchParams(body);
  const receipt = parseReceipt(form);
  if (!receipt.ok) return json(400, { error: receipt.error });
  const { messageSid, messageStatus } = receipt;
  // Ids only: the callback also names both phone numbers, which stay out of the logs.
  logContext({ route: 'twilio-status', messageSid, messageStatus });
  if (!RECORDED.has(messageStatus)) return json(200, { status: 'ignored' });

  try {
    const target = await findSmsLog(messageSid);
    if (!target) {
      logger.info('receipt for a message this product did not send, or sent too long ago');
      return json(200, { status: 'unknown message' });
    }
    const status = messageStatus as DeliveryStatus;
    const failed = status === 'undelivered' || status === 'failed';
    const error = failed ? describeError(receipt.errorCode) : undefined;
    const recorded = await recordReceipt(target, { status, ...(error ? { error } : {}) });
    const outcome = recorded ? 'recorded' : 'unchanged';
    if (recorded && isFinalSmsStatus(status)) countSmsReceipt(status);
    if (failed && recorded) {
      logger.warn('SMS not delivered', { errorCode: receipt.errorCode });
      await tellCmoc(recorded, error ?? 'no error code given');
    } else logger.info('SMS receipt', { outcome });
    return json(200, { status: outcome });
  } catch (error) {
    logger.error('receipt not recorded', { error });
    return json(500, { error: 'internal error' });
  }
});

/**
 * The URL Twilio signed: the StatusCallback the product gave it. Behind API Gateway (or a custom domain) the
 * request's own host and path may differ from it, so the request is only the fallback, for a callback URL
 * set in the Twilio console rather than by the product.
 */
function callbackUrl(event: HttpEvent): string {
  const configured = optionalEnv('TWILIO_STATUS_CALLBACK_URL');
  if (configured) return configured;
  const proto = header(event, 'x-forwarded-proto') ?? 'https';
  const host = header(event, 'host') ?? event.requestContext.domainName;
  return `${proto}://${host}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
}

const isFinalSmsStatus = (status: string): status is SmsFinalStatus =>
  (SMS_FINAL_STATUSES as readonly string[]).includes(status);
