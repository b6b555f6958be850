import { followUp, frontDoor, once, type FollowUp } from '../../../adapters/follow-up.ts';
import {
  header,
  json,
  rawBodyBytes,
  type HttpEvent,
  type HttpResult,
  jsonBody,
} from '../../../adapters/http.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { secret } from '../../../adapters/secrets.ts';
import { verifyPagerDutySignature } from '../../../adapters/signatures.ts';
import { claim, finish, release, type DedupKey } from '../../../adapters/webhook-dedup.ts';
import { EnvelopeSchema, formatIssues, type PagerDutyEvent } from './envelope.ts';
import { prepare } from './events.ts';

/** PagerDuty drops every webhook over 256 KB itself, so a larger body is not from PagerDuty. */
export const MAX_BODY_BYTES = 256 * 1024;
/** How long PagerDuty should wait before retrying a delivery that is being processed right now. */
const RETRY_AFTER_SECONDS = 30;

/** What the follow-up needs: the checked event and the dedup claims it finishes. */
type Later = FollowUp<'pagerduty-event', { event: PagerDutyEvent; keys: DedupKey[] }>;

/**
 * POST /webhooks/pagerduty, answered first and finished after (docs/architecture.md, "Contracts" and
 * "Answer first, then finish"). Answers, within PagerDuty's 5 s: 413 over 256 KB; 401 without a valid
 * signature; 400 for a body that is not a v3 webhook; 202 for everything else — including event types we
 * ignore and duplicates, because any other 4xx counts toward PagerDuty disabling the subscription. 429
 * when the same delivery or event is being processed right now (PagerDuty retries it); 500 when it could
 * not be handed on (PagerDuty retries, and the claim is released so the retry is processed). Nothing is
 * written before the request is known to be a genuine event we act on. The event itself is acted on in
 * the follow-up, which Lambda retries and dead-letters: PagerDuty has had its 202 by then.
 */
export const handler = frontDoor<Later>(answer, finishEvent);

async function answer(event: HttpEvent, context: { functionName: string }): Promise<HttpResult> {
  logContext({ route: 'pagerduty-webhook' });
  const bytes = rawBodyBytes(event);
  if (bytes.length > MAX_BODY_BYTES) return json(413, { error: 'body is larger than 256 KB' });
  const secrets = (await secret('PAGERDUTY', 'PAGERDUTY_WEBHOOK_SECRETS')).split(',').map((s) => s.trim());
  if (!verifyPagerDutySignature(bytes, header(event, 'x-pagerduty-signature'), secrets)) {
    return json(401, { error: 'missing or invalid X-PagerDuty-Signature' });
  }

  const parsed = jsonBody(bytes);
  if (!parsed.ok) return parsed.answer;
  const envelope = EnvelopeSchema.safeParse(parsed.body);
  if (!envelope.success) {
    return json(400, { error: `not a PagerDuty v3 webhook: ${formatIssues(envelope.error)}` });
  }
  const pdEvent = envelope.data.event;
  const deliveryId = header(event, 'x-webhook-id')?.trim();
  logContext({ webhookId: deliveryId, eventId: pdEvent.id, eventType: pdEvent.event_type });

  const prepared = prepare(pdEvent);
  if (prepared.kind === 'ignored') return json(202, { status: 'ignored', eventType: pdEvent.event_type });
  if (prepared.kind === 'malformed') return json(400, { error: prepared.error });
  logContext({ webhookId: deliveryId, eventType: pdEvent.event_type, incidentId: prepared.incidentId });

  const now = new Date();
  const keys: DedupKey[] = [
    ...(deliveryId ? [{ kind: 'delivery' as const, id: deliveryId }] : []),
    { kind: 'event', id: pdEvent.id },
  ];
  const claimed: DedupKey[] = [];
  try {
    for (const key of keys) {
      const outcome = await claim(key, now);
      if (outcome === 'in-flight') {
        await Promise.all(claimed.map(release));
        return json(
          429,
          { error: 'this delivery is being processed; retry later' },
          { 'retry-after': String(RETRY_AFTER_SECONDS) },
        );
      }
      if (outcome === 'done') {
        // Seen before (a retry, or the same event through another subscription): record this delivery
        // id too, so its own retries are recognised at once.
        await Promise.all(claimed.map((k) => finish(k, `duplicate-${key.kind}`)));
        return json(202, { status: 'duplicate', duplicateOf: key.kind, incidentId: prepared.incidentId });
      }
      claimed.push(key);
    }
    await followUp(context, 'pagerduty-event', { event: pdEvent, keys: claimed }, now);
    return json(202, { status: 'accepted', incidentId: prepared.incidentId, eventType: pdEvent.event_type });
  } catch (error) {
    logger.error('webhook could not be handed on', { error });
    await Promise.all(claimed.map((key) => release(key).catch(() => undefined)));
    // 5xx makes PagerDuty retry, which is what we want for our own failures.
    return json(500, { error: 'internal error; PagerDuty will retry' });
  }
}

/**
 * The follow-up: the event acted on as of when it arrived, once however often Lambda delivers it. A
 * failure is thrown, so Lambda retries it (the work is safe to repeat: every write is a claim or a
 * conditional, every start named) and dead-letters it after the last try; its dedup claims stay until then,
 * so PagerDuty's copies of it wait (429) rather than run beside it.
 */
async function finishEvent(later: Later): Promise<void> {
  const { event: pdEvent, keys } = later.payload;
  logContext({
    route: 'pagerduty-webhook',
    eventId: pdEvent.id,
    eventType: pdEvent.event_type,
    id: later.id,
  });
  await once(later, async () => {
    const prepared = prepare(pdEvent);
    const outcome =
      prepared.kind === 'ready' ? await prepared.run(new Date(later.acceptedAt)) : { action: prepared.kind };
    const { action, ...detail } = outcome;
    await Promise.all(keys.map((key) => finish(key, action, detail)));
    logger.info('webhook processed', { ...outcome });
  });
}
