import { randomUUID } from 'node:crypto';
import { signPagerDuty } from '../../lambdas/adapters/signatures.ts';
import { LOCAL_DEFAULTS } from '../../local/options.ts';
import { InputError, UsageError, parse, readJson } from './cli-io.ts';

export const FIRE_USAGE = `comms fire <event.json> [--url <api>] [--secret <secret>] [--incident <id>]
                                        post a PagerDuty v3 event file to a running \`npm start\`, stamped now
                                        (occurred_at; created_at of a triggered incident), with a fresh event
                                        id, signed like PagerDuty; default --url http://127.0.0.1:$PORT (3000),
                                        --secret the first of PAGERDUTY_WEBHOOK_SECRETS (the local one)`;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The event as if it happened now: an example file dated weeks ago would make the incident's duration and
 * its write-up deadline nonsense. A fresh event id, so the webhook's dedup does not take a second firing of
 * the same file for a redelivery.
 */
export function stampedNow(envelope: unknown, now: Date, incidentId?: string): Json {
  const event = isObject(envelope) ? envelope.event : undefined;
  if (
    !isObject(envelope) ||
    !isObject(event) ||
    !isObject(event.data) ||
    typeof event.event_type !== 'string'
  )
    throw new InputError(
      'the file is not a PagerDuty v3 webhook body: { "event": { "event_type", "data" } }',
    );
  const data: Json = { ...event.data, ...(incidentId ? { id: incidentId } : {}) };
  if (event.event_type === 'incident.triggered') data.created_at = now.toISOString();
  return { ...envelope, event: { ...event, id: randomUUID(), occurred_at: now.toISOString(), data } };
}

export async function fireCommand(args: string[]): Promise<number> {
  const command = 'comms fire';
  const { values, positionals } = parse(command, args, {
    url: { type: 'string' },
    secret: { type: 'string' },
    incident: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(`${command}: give one PagerDuty event file`);
  const file = positionals[0]!;
  const envelope = stampedNow(readJson(file, 'event file'), new Date(), values.incident);
  const api = (values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const secret =
    values.secret ??
    (process.env.PAGERDUTY_WEBHOOK_SECRETS || LOCAL_DEFAULTS.pagerdutyWebhookSecrets).split(',')[0] ??
    '';
  const body = JSON.stringify(envelope);
  let response: Response;
  try {
    response = await fetch(`${api}/webhooks/pagerduty`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-id': randomUUID(),
        'x-pagerduty-signature': signPagerDuty(body, secret),
      },
      body,
    });
  } catch (error) {
    throw new InputError(
      `cannot reach ${api} (${(error as Error).message}): is \`npm start\` running there? (--url)`,
    );
  }
  const answer = await response.text();
  const event = envelope.event as Json;
  const id = String((event.data as Json).id);
  if (response.status !== 202) {
    console.error(`✗ ${api} answered ${response.status}: ${answer}`);
    return 1;
  }
  console.log(`✓ ${String(event.event_type)} for incident ${id} accepted (${response.status}): ${answer}`);
  return 0;
}
