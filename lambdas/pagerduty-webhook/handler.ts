import { header, json, rawBody, rawBodyBytes, type HttpEvent, type HttpResult } from '../adapters/http.ts';
import { logContext, logger } from '../adapters/logger.ts';
import { secret } from '../adapters/secrets.ts';
import { verifyPagerDutySignature } from '../adapters/signatures.ts';
import { claimDelivery, finishDelivery, releaseDelivery } from './dedup.ts';
import { EnvelopeSchema, formatIssues } from './envelope.ts';
import { handleEvent, MalformedEventError } from './events.ts';

/** PagerDuty never sends more than 256 KB; anything larger is not PagerDuty. */
export const MAX_BODY_BYTES = 256 * 1024;

export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  if (rawBodyBytes(event) > MAX_BODY_BYTES) return json(413, { error: 'body is larger than 256 KB' });
  const body = rawBody(event);
  const secrets = (await secret('PAGERDUTY', 'PAGERDUTY_WEBHOOK_SECRETS'))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!verifyPagerDutySignature(body, header(event, 'x-pagerduty-signature'), secrets)) {
    return json(401, { error: 'missing or invalid X-PagerDuty-Signature' });
  }

  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(body);
  } catch {
    return json(400, { error: 'body is not JSON' });
  }
  const envelope = EnvelopeSchema.safeParse(parsedJson);
  if (!envelope.success) {
    return json(400, { error: `not a PagerDuty v3 webhook: ${formatIssues(envelope.error)}` });
  }
  const pdEvent = envelope.data.event;
  const deliveryId = header(event, 'x-webhook-id') ?? `event-${pdEvent.id}`;
  logContext({ webhookId: deliveryId, eventType: pdEvent.event_type });

  const now = new Date();
  if ((await claimDelivery(deliveryId, now)) === 'duplicate') {
    return json(202, { status: 'duplicate', deliveryId });
  }
  try {
    const outcome = await handleEvent(pdEvent, now);
    await finishDelivery(deliveryId, outcome.action);
    logger.info('webhook processed', { ...outcome });
    return json(202, { status: 'accepted', ...outcome });
  } catch (error) {
    await releaseDelivery(deliveryId);
    if (error instanceof MalformedEventError) return json(400, { error: error.message });
    logger.error('webhook processing failed', { error });
    // 5xx makes PagerDuty retry, which is what we want for our own failures.
    return json(500, { error: 'internal error; PagerDuty will retry' });
  }
};
