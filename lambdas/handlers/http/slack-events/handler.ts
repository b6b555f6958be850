import { followUp, frontDoor, once, type FollowUp } from '../../../adapters/follow-up.ts';
import { header, json, text, type HttpEvent, type HttpResult, jsonBody } from '../../../adapters/http.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { verifiedSlackRequest } from '../../../adapters/slack-request.ts';
import { claim, finish, release, type DedupKey } from '../../../adapters/webhook-dedup.ts';
import { EnvelopeSchema, EventCallbackSchema, EVENT_HANDLERS, UrlVerificationSchema } from './events.ts';

/** What the follow-up carries: the event as Slack sent it (parsed again by its handler) and its claim. */
type Later = FollowUp<'slack-event', { eventId: string; type: string; event: unknown; key: DedupKey }>;

/**
 * POST /slack/events, Slack's Events API, answered first and finished after (docs/architecture.md,
 * "Answer first, then finish" and "Facts that bite"). Answers, within Slack's 3 s: 401 without a valid,
 * fresh v0 signature; 400 for a body that is not JSON or not an Events API envelope; the challenge for
 * `url_verification`; otherwise 200 — for an event we act on once it is claimed by its `event_id` and
 * handed to the follow-up, for a redelivery (`X-Slack-Retry-Num`) of one claimed before, and for every
 * event type we don't act on. 500 only when it could not be handed on: Slack retries it, and the claim is
 * released so the retry is acted on.
 */
export const handler = frontDoor<Later>(answer, finishEvent);

async function answer(event: HttpEvent, context: { functionName: string }): Promise<HttpResult> {
  logContext({ route: 'slack-events' });
  const acceptedAt = new Date();
  const { verified, bytes } = await verifiedSlackRequest(event);
  if (!verified.ok) return json(401, { error: verified.reason });

  const parsed = jsonBody(bytes);
  if (!parsed.ok) return parsed.answer;
  const envelope = EnvelopeSchema.safeParse(parsed.body);
  if (!envelope.success) return json(400, { error: 'body is not an Events API envelope: "type" is missing' });

  if (envelope.data.type === 'url_verification') {
    const check = UrlVerificationSchema.safeParse(parsed.body);
    if (!check.success) return json(400, { error: 'url_verification without a "challenge"' });
    return json(200, { challenge: check.data.challenge });
  }
  if (envelope.data.type !== 'event_callback') return text(200, '');
  const callback = EventCallbackSchema.safeParse(parsed.body);
  if (!callback.success) return json(400, { error: 'event_callback without "event_id" or "event.type"' });
  const { event_id: eventId, event: slackEvent } = callback.data;
  logContext({ route: 'slack-events', eventId, eventType: slackEvent.type });
  const handle = Object.hasOwn(EVENT_HANDLERS, slackEvent.type) ? EVENT_HANDLERS[slackEvent.type] : undefined;
  if (!handle?.accepts(slackEvent)) return text(200, '');

  const key: DedupKey = { kind: 'slack-event', id: eventId };
  try {
    const outcome = await claim(key, acceptedAt);
    if (outcome !== 'claimed') {
      // Slack redelivers an event it thinks we missed; this one is done or being done. Another answer than
      // 2xx would only make it try again.
      logger.info('event delivered again', { outcome, retry: header(event, 'x-slack-retry-num') });
      return text(200, '');
    }
    await followUp(
      context,
      'slack-event',
      { eventId, type: slackEvent.type, event: slackEvent, key },
      acceptedAt,
    );
    return text(200, '');
  } catch (error) {
    logger.error('event could not be handed on', { error });
    await release(key).catch(() => undefined);
    return json(500, { error: 'internal error; Slack will retry' });
  }
}

/**
 * The follow-up: the event acted on once however often Lambda delivers it. A failure is thrown so that
 * Lambda retries it; the event's claim stays "processing" until then, so Slack's own redeliveries wait.
 */
async function finishEvent(later: Later): Promise<void> {
  const { eventId, type, event, key } = later.payload;
  logContext({ route: 'slack-events', eventId, eventType: type, id: later.id });
  await once(later, async () => {
    const handle = Object.hasOwn(EVENT_HANDLERS, type) ? EVENT_HANDLERS[type] : undefined;
    const outcome = handle ? await handle.run(event, new Date(later.acceptedAt)) : 'ignored';
    await finish(key, outcome);
    logger.info('event processed', { eventType: type, outcome });
  });
}
