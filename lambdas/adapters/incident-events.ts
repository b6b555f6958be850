import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { queryAll } from './query-all.ts';
import { completeTask } from './stepfunctions.ts';
import { tableName } from './env.ts';
import { claimWaitToken, findIncident } from './incidents.ts';
import type { DeliveredEvent, IncidentEventType } from '../contract/payloads.ts';
import { ifDefined } from '../domain/optional.ts';

/**
 * Events for a running incident reach its execution through the task token of the parked wait
 * ("Wait for the next update or an event"). An event that arrives while nothing is parked is kept and
 * handed over at the next park, so none is lost; each is handed over once and then consumed by the
 * workflow, so none is applied twice.
 *
 *   pending ──(token claimed)──▶ sent(token) ──(SendTaskSuccess accepted; the workflow reads it)──▶ consumed
 *      ▲                              │
 *      └──── the wait timed out first, or a crashed hand-over left it (put back at the next park)
 *
 * Whoever writes last checks the other side: the webhook writes the event then looks for a token; the
 * park writes the token then looks for events. With consistent reads one of them always sees both.
 *
 * Guarantees, and what they rest on:
 * - Once: an event is stored under its id (`EVENT#<eventId>`, written only if absent); signalling it again
 *   changes nothing.
 * - None lost: an event leaves `pending` only together with a token claimed by exactly one caller
 *   (conditional REMOVE of the incident's waitToken); if the hand-over fails or the wait timed out, the
 *   event returns to `pending`, and a crash mid-hand-over leaves it `sent` with a token that is no longer
 *   parked, which the next park puts back (`requeueUnread`).
 * - None applied twice: Step Functions accepts one SendTaskSuccess per token, and once it has, the event is
 *   `consumed` (marked right after the call, and again by the workflow when it reads the event). The one
 *   window left is a crash between a successful SendTaskSuccess and that mark, with the workflow re-parking
 *   without reading the event through load-incident; the workflow always reads it first, so that window
 *   stays closed as long as every path from the wait passes load-incident before the next park.
 * - Order: the oldest pending event is handed over first; one event per park.
 */
type EventStatus = 'pending' | 'sent' | 'consumed';

interface StoredEvent {
  pk: string;
  sk: string;
  eventId: string;
  type: IncidentEventType;
  status: EventStatus;
  sentWith?: string;
  receivedAt: string;
}

const pk = (incidentId: string) => `INCIDENT#${incidentId}`;
/**
 * Keyed by the event id alone, so the same event signalled twice — a redelivery after a crash, the same
 * PagerDuty event through two subscriptions — is one item however far apart the two arrive.
 */
const eventSk = (eventId: string) =>
  `EVENT#${/^[\w.:-]{1,200}$/.test(eventId) ? eventId : createHash('sha256').update(eventId).digest('hex')}`;

/** Records an event once (the same eventId twice is a no-op). Returns whether it was new. */
export async function enqueueEvent(
  incidentId: string,
  event: { eventId: string; type: IncidentEventType; receivedAt: string },
): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: pk(incidentId),
          sk: eventSk(event.eventId),
          eventId: event.eventId,
          type: event.type,
          status: 'pending',
          receivedAt: event.receivedAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/** Every event of the incident, oldest first. */
async function eventsOf(incidentId: string): Promise<StoredEvent[]> {
  const events = (await queryAll(dynamodb, {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
    ExpressionAttributeValues: { ':pk': pk(incidentId), ':e': 'EVENT#' },
    ConsistentRead: true,
  })) as unknown as StoredEvent[];
  // Oldest first: the order they reached us, which is the order they are handed over.
  return events.sort((x, y) => x.receivedAt.localeCompare(y.receivedAt) || x.sk.localeCompare(y.sk));
}

async function setStatus(
  event: StoredEvent,
  from: { status: EventStatus; sentWith?: string },
  to: { status: EventStatus; sentWith?: string },
): Promise<boolean> {
  const names = { '#s': 'status' };
  const values: Record<string, unknown> = { ':from': from.status, ':to': to.status };
  let condition = '#s = :from';
  if (from.sentWith !== undefined) {
    condition += ' AND sentWith = :old';
    values[':old'] = from.sentWith;
  }
  let update = 'SET #s = :to';
  if (to.sentWith !== undefined) {
    update += ', sentWith = :new';
    values[':new'] = to.sentWith;
  } else {
    update += ' REMOVE sentWith';
  }
  return conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: event.pk, sk: event.sk },
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

/**
 * Called right after the execution parked `currentToken`: an event sent with an older token and never
 * consumed did not reach the workflow (that wait timed out first, or the hand-over crashed), so it goes
 * back to pending.
 */
export async function requeueUnread(incidentId: string, currentToken: string): Promise<void> {
  for (const event of await eventsOf(incidentId)) {
    if (event.status === 'sent' && event.sentWith !== currentToken) {
      await setStatus(
        event,
        { status: 'sent', ...ifDefined('sentWith', event.sentWith) },
        { status: 'pending' },
      );
    }
  }
}

/** Hands the oldest pending event to the parked wait, if there is both an event and a parked wait. */
export async function deliverPending(
  incidentId: string,
): Promise<'delivered' | 'nothing-pending' | 'not-parked'> {
  // Both reads at once: a press hands its event to the parked wait on the way to every owner's DM.
  const [events, incident] = await Promise.all([eventsOf(incidentId), findIncident(incidentId)]);
  const next = events.find((event) => event.status === 'pending');
  if (!next) return 'nothing-pending';
  const token = incident?.waitToken;
  if (!token || !(await claimWaitToken(incidentId, token))) return 'not-parked';
  if (!(await setStatus(next, { status: 'pending' }, { status: 'sent', sentWith: token }))) {
    // Another hand-over took this event between our read and now; the token we claimed must not be lost.
    return deliverWithToken(incidentId, token);
  }
  const output: DeliveredEvent = { type: next.type, eventId: next.eventId };
  if (!(await completeTask(token, output))) {
    // The wait ended on its own (the next update became due): the event waits for the next park.
    await setStatus(next, { status: 'sent', sentWith: token }, { status: 'pending' });
    return 'not-parked';
  }
  // Step Functions accepted it: the execution has the event. Marking it consumed here (as well as when the
  // workflow reads it) means a later park cannot hand it over again, whichever path the workflow takes.
  await setStatus(next, { status: 'sent', sentWith: token }, { status: 'consumed' });
  return 'delivered';
}

/** We hold a claimed token but lost the race for the event we saw: put the token back and try again. */
async function deliverWithToken(incidentId: string, token: string): ReturnType<typeof deliverPending> {
  await conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: pk(incidentId), sk: 'META' },
        UpdateExpression: 'SET waitToken = :t',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(waitToken)',
        ExpressionAttributeValues: { ':t': token },
      }),
    ),
  );
  return deliverPending(incidentId);
}

/** The workflow read the event: it is done with for good. */
export async function markConsumed(incidentId: string, eventId: string): Promise<void> {
  const out = await dynamodb.send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: pk(incidentId), sk: eventSk(eventId) },
      ConsistentRead: true,
    }),
  );
  const event = out.Item as StoredEvent | undefined;
  if (event && event.status === 'sent') {
    await setStatus(
      event,
      { status: 'sent', ...ifDefined('sentWith', event.sentWith) },
      { status: 'consumed' },
    );
  }
}
