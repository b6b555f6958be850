import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { signPagerDuty, signSlack } from '../lambdas/adapters/signatures.ts';
import { workingOn } from '../lambdas/messages/comms-help.ts';
import type { SlackStandIn, StoredMessage } from './slack/index.ts';
import type { Runtime } from './runtime.ts';

/**
 * Plays the outside world against a running runtime: PagerDuty deliveries, Slack presses and commands.
 * The demo, the end-to-end tests and the benchmarks all drive the product through these, over HTTP.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function exampleEvent(name: 'triggered' | 'resolved'): Promise<PagerDutyEnvelope> {
  const file = path.join(root, 'config', 'examples', `pagerduty-incident-${name}.json`);
  return JSON.parse(await readFile(file, 'utf8')) as PagerDutyEnvelope;
}

export interface PagerDutyEnvelope {
  event: {
    id: string;
    event_type: string;
    occurred_at?: string;
    data: Record<string, unknown> & { id?: string };
  };
}

/** A PagerDuty v3 envelope for `incidentId`, built from the example files with fresh event ids. */
export async function pagerDutyEvent(
  kind: 'triggered' | 'resolved',
  incidentId: string,
  patch: Record<string, unknown> = {},
): Promise<PagerDutyEnvelope> {
  const envelope = await exampleEvent(kind);
  envelope.event.id = randomUUID();
  envelope.event.occurred_at = new Date().toISOString();
  envelope.event.data = { ...envelope.event.data, id: incidentId, ...patch };
  return envelope;
}

export interface Delivery {
  status: number;
  body: string;
}

/**
 * POSTs a signed PagerDuty delivery. An accepted event is acted on after the 202, in the webhook's
 * follow-up (docs/architecture.md, "Answer first, then finish"): with the runtime's Lambda API at hand this
 * waits for that follow-up to have run (or given up), unless `settle: false`.
 */
export async function postPagerDuty(
  runtime: Pick<Runtime, 'apiUrl' | 'secrets'> & Partial<Pick<Runtime, 'lambda'>>,
  envelope: unknown,
  options: { webhookId?: string; secret?: string; settle?: boolean } = {},
): Promise<Delivery> {
  const body = JSON.stringify(envelope);
  const response = await fetch(`${runtime.apiUrl}/webhooks/pagerduty`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-webhook-id': options.webhookId ?? randomUUID(),
      'x-pagerduty-signature': signPagerDuty(body, options.secret ?? runtime.secrets.pagerduty[0] ?? ''),
    },
    body,
  });
  const delivery = { status: response.status, body: await response.text() };
  const { lambda } = runtime;
  if (lambda && options.settle !== false && delivery.status === 202 && /"accepted"/.test(delivery.body)) {
    const eventId = (envelope as PagerDutyEnvelope).event.id;
    await waitFor(`the follow-up of PagerDuty event ${eventId}`, () =>
      lambda
        .asyncEvents()
        .some(
          (e) =>
            (e.payload as { payload?: { event?: { id?: string } } }).payload?.event?.id === eventId &&
            (e.state === 'succeeded' || e.state === 'dead-lettered'),
        )
        ? true
        : undefined,
    );
  }
  return delivery;
}

/** What `/comms …` came to: the answer Slack got, and the reply the person saw last (see typeCommand). */
export interface CommandOutcome {
  status: number;
  /** The HTTP answer's JSON (an ephemeral reply). */
  answer: Record<string, unknown>;
  /** The answer itself, or — when it said the command is being worked on — what followed on response_url. */
  reply: Record<string, unknown>;
}

/**
 * `/comms <text>` typed by `userId` in `channel`, through the Slack stand-in (signed, with a response_url
 * of its own). A command that does anything answers "working on it" at once and its result follows on the
 * response_url (docs/architecture.md, "Answer first, then finish"); this waits for that result.
 */
export async function typeCommand(
  slack: SlackStandIn,
  options: { userId: string; channel: string; text: string },
): Promise<CommandOutcome> {
  const out = await slack.command(options);
  const answer = out.status === 200 ? (JSON.parse(out.body) as Record<string, unknown>) : { text: out.body };
  const subcommand = options.text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (answer.text !== workingOn(subcommand)) return { status: out.status, answer, reply: answer };
  const reply = await waitFor(`the reply to "/comms ${options.text.slice(0, 40)}"`, () => out.replies()[0]);
  return { status: out.status, answer, reply };
}

/** `/comms <text>` as `userId`; the body is the reply the person saw last, as JSON (typeCommand). */
export async function postSlackCommand(
  runtime: Pick<Runtime, 'slack'>,
  userId: string,
  textBody: string,
): Promise<Delivery> {
  if (!runtime.slack) throw new Error('postSlackCommand needs the Slack stand-in');
  const out = await typeCommand(runtime.slack, { userId, channel: 'C0INCIDENT', text: textBody });
  return { status: out.status, body: JSON.stringify(out.reply) };
}

/** POSTs a form body to one of the app's Slack routes, signed the way Slack signs it. */
async function postSignedToSlackRoute(
  runtime: Pick<Runtime, 'apiUrl' | 'secrets'>,
  route: '/slack/commands' | '/slack/interactions',
  body: string,
): Promise<Delivery> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${runtime.apiUrl}${route}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlack(body, timestamp, runtime.secrets.slackSigning),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/**
 * How long a wait for something that should happen is bounded by default. Long on purpose: the machine
 * may be shared and busy, and a long bound costs time only when something is broken.
 */
export const WAIT_BOUND_MS = 120_000;

/** Polls until `find` returns something; fails saying what it waited for. */
export async function waitFor<T>(
  what: string,
  find: () => T | undefined | Promise<T | undefined>,
  timeoutMs = WAIT_BOUND_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A button in a stored message: what Slack sends back when it is pressed, and its label. */
export interface Button {
  actionId: string;
  value?: string;
  text: string;
}

/** Every button in a message's blocks, wherever it sits, in order. */
export function buttonsOf(message: StoredMessage): Button[] {
  const out: Button[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (element.type === 'button' && typeof element.action_id === 'string') {
      out.push({
        actionId: element.action_id,
        ...(typeof element.value === 'string' ? { value: element.value } : {}),
        text: JSON.stringify(element.text ?? ''),
      });
      return;
    }
    Object.values(element).forEach(visit);
  };
  visit(message.blocks ?? []);
  return out;
}

export function hasButton(message: StoredMessage, actionId: string): boolean {
  return buttonsOf(message).some((b) => b.actionId === actionId);
}

/** The opaque value carried by a message's button (what Slack sends back on a press). */
export function buttonValue(message: StoredMessage, actionId: string): string | undefined {
  return buttonsOf(message).find((b) => b.actionId === actionId)?.value;
}

/** The DMs in a Slack stand-in that still offer the owner's buttons. */
export function pendingOwnerDms(messages: StoredMessage[]): StoredMessage[] {
  return messages.filter((m) => m.channel.startsWith('D') && hasButton(m, 'owner:send'));
}

/**
 * Sends a block_actions interaction straight to the app, signed like Slack signs it. Used to replay a press
 * that a person's stale Slack client could still send after the message lost its buttons.
 */
export async function postInteraction(
  runtime: Pick<Runtime, 'apiUrl' | 'secrets'>,
  press: { userId: string; channel: string; messageTs: string; actionId: string; value: string },
): Promise<Delivery> {
  const payload = {
    type: 'block_actions',
    user: { id: press.userId, username: press.userId, name: press.userId, team_id: 'T0LOCAL01' },
    team: { id: 'T0LOCAL01', domain: 'local' },
    channel: { id: press.channel, name: press.channel },
    container: {
      type: 'message',
      channel_id: press.channel,
      message_ts: press.messageTs,
      is_ephemeral: false,
    },
    actions: [
      {
        type: 'button',
        action_id: press.actionId,
        block_id: 'owner-decision',
        value: press.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return postSignedToSlackRoute(
    runtime,
    '/slack/interactions',
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
  );
}
