import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { signPagerDuty, signSlack } from '../../lambdas/adapters/signatures.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { typeCommand, waitFor } from '../../local/driver.ts';
import type { World } from './world.ts';

/** Requests as the outside world sends them: PagerDuty fixtures and Slack's signed forms, raw over HTTP. */
const here = path.dirname(fileURLToPath(import.meta.url));

// ---- PagerDuty ----------------------------------------------------------------------------------

export type PagerDutyFixture =
  | 'incident.triggered'
  | 'incident.acknowledged'
  | 'incident.priority_updated'
  | 'incident.annotated'
  | 'incident.status_update_published'
  | 'incident.resolved'
  | 'incident.reopened'
  | 'incident.escalated'
  | 'incident.unacknowledged'
  | 'incident.responder.added'
  | 'service.updated'
  | 'pagey.ping';

export interface Envelope {
  event: { id: string; event_type: string; occurred_at?: string; data: Record<string, unknown> };
}

/**
 * A fixture with a fresh event id, re-pointed at `incidentId` wherever the event type carries it (data.id
 * for incident data, data.incident.id for notes, status updates and responders).
 */
export function pagerDutyEvent(
  name: PagerDutyFixture,
  incidentId?: string,
  data: Record<string, unknown> = {},
): Envelope {
  const envelope = JSON.parse(
    readFileSync(path.join(here, '..', 'fixtures', 'pagerduty', `${name}.json`), 'utf8'),
  ) as Envelope;
  envelope.event.id = randomUUID();
  envelope.event.occurred_at = new Date().toISOString();
  const d = envelope.event.data;
  if (incidentId && d.type === 'incident') d.id = incidentId;
  if (incidentId && typeof d.incident === 'object' && d.incident !== null) {
    (d.incident as Record<string, unknown>).id = incidentId;
  }
  Object.assign(d, data);
  return envelope;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
  /** For a PagerDuty event accepted and settled (postPagerDuty): what its follow-up did. */
  outcome?: WebhookOutcome;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

/** What came of an event: the action taken, and the ids it concerned (incidentId, leadId). */
export type WebhookOutcome = { action: string } & Record<string, string>;

/**
 * What the follow-up of an accepted PagerDuty event did (handlers/http/pagerduty-webhook): the outcome its
 * dedup claim is finished with, once it is.
 */
export async function webhookOutcome(h: World, envelope: Envelope): Promise<WebhookOutcome> {
  // Imported once the world has set the endpoints the product's clients read when first loaded.
  const { keyOf: dedupKeyOf } = await import('../../lambdas/adapters/webhook-dedup.ts');
  return waitFor(`the follow-up of PagerDuty event ${envelope.event.id}`, async () => {
    const out = await h.db.send(
      new GetCommand({
        TableName: process.env.TABLE_NAME,
        // The product's own key: an id with unusual characters is stored under its hash.
        Key: dedupKeyOf({ kind: 'event', id: envelope.event.id }),
        ConsistentRead: true,
      }),
    );
    const item = out.Item;
    if (item?.status !== 'done') return undefined;
    return { ...(item.detail as Record<string, string> | undefined), action: String(item.outcome) };
  });
}

/**
 * POST /webhooks/pagerduty. `signature: undefined` sends no signature header; the default signs with
 * `secret`. An accepted event is acted on after the answer: this waits for that too (webhookOutcome)
 * unless `settle: false` — a test of the answer itself, or of what happens meanwhile.
 */
export async function postPagerDuty(
  h: World,
  body: string | Buffer | object,
  options: {
    webhookId?: string | null;
    signature?: string | null;
    secret?: string;
    headers?: Record<string, string>;
    settle?: boolean;
  } = {},
): Promise<Answer> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.webhookId !== null) headers['x-webhook-id'] = options.webhookId ?? randomUUID();
  const signature =
    options.signature === undefined
      ? signPagerDuty(raw, options.secret ?? h.runtime.secrets.pagerduty[0] ?? '')
      : options.signature;
  if (signature !== null) headers['x-pagerduty-signature'] = signature;
  const out = await answer(
    await fetch(`${h.runtime.apiUrl}/webhooks/pagerduty`, { method: 'POST', headers, body: raw }),
  );
  if (options.settle !== false && out.status === 202 && out.json().status === 'accepted') {
    return { ...out, outcome: await webhookOutcome(h, JSON.parse(raw.toString()) as Envelope) };
  }
  return out;
}

// ---- Slack --------------------------------------------------------------------------------------

/** POST to a Slack route, signed now with the runtime's signing secret unless told otherwise. */
export async function postSlack(
  h: World,
  route: '/slack/commands' | '/slack/interactions',
  body: string,
  options: { timestamp?: string | null; signature?: string | null; secret?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const timestamp =
    options.timestamp === undefined ? String(Math.floor(Date.now() / 1000)) : options.timestamp;
  if (timestamp !== null) headers['x-slack-request-timestamp'] = timestamp;
  const signature =
    options.signature === undefined
      ? signSlack(body, timestamp ?? '', options.secret ?? h.runtime.secrets.slackSigning)
      : options.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  return answer(await fetch(`${h.runtime.apiUrl}${route}`, { method: 'POST', headers, body }));
}

/**
 * `/comms <text>` typed by `userId` in `channelId`, through the Slack stand-in: the reply's text — the
 * answer itself, or what the command's follow-up posted to its response_url (local/driver.ts typeCommand).
 */
export async function comms(
  h: World,
  userId: string,
  text: string,
  channelId = 'C0INCIDENT1',
): Promise<{ status: number; reply: string; responseType: unknown; acknowledged: unknown }> {
  const out = await typeCommand(h.slack, { userId, channel: channelId, text });
  return {
    status: out.status,
    reply: typeof out.reply.text === 'string' ? out.reply.text : JSON.stringify(out.reply),
    responseType: out.reply.response_type,
    acknowledged: out.answer.text,
  };
}

export async function interaction(h: World, payload: unknown): Promise<Answer> {
  return postSlack(
    h,
    '/slack/interactions',
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
  );
}
