import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPagerDuty } from '../../../lambdas/adapters/signatures.ts';
import { waitFor } from '../../../local/driver.ts';
import {
  executionArnOf,
  incidentEvents,
  incidentExecutions,
  incidentItem,
  pagerDutyEvent,
  postPagerDuty,
  settled,
  tableCount,
  webhookOutcome,
  type Envelope,
} from '../../support/frontdoors.ts';
import { ownerDmsFor, sendAllUntil } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * POST /webhooks/pagerduty against the running local runtime, over HTTP with real signatures. Two secrets
 * are configured, as during a rotation.
 */
const OLD = 'pd-secret-old';
const NEW = 'pd-secret-new';
let h: World;

beforeAll(async () => {
  process.env.PAGERDUTY_WEBHOOK_SECRETS = `${OLD},${NEW}`;
  h = await startWorld({ timeScale: 1 });
});
afterAll(async () => {
  await h?.close();
});

/**
 * What a request could have changed: items in the table and executions. Taken once the workflows started
 * by earlier tests have gone quiet, so a change can only come from the request in between.
 */
async function footprint() {
  await parked();
  return settled('the table and executions', footprintNow, 250);
}

/**
 * Waits until every running execution is parked on a task token whose Lambda has returned (its last event
 * is TaskSubmitted): a just-started workflow may go quiet for a while (a cold Lambda) and then write again.
 */
function parked(): Promise<true> {
  const engine = h.runtime.stepFunctions.engine;
  return waitFor('every running execution to be parked on a task token', async () => {
    for (const e of await engine.listExecutions({ statusFilter: 'RUNNING' })) {
      if ((await engine.history(e.executionArn)).at(-1)?.type !== 'TaskSubmitted') return undefined;
    }
    return true;
  });
}

/** Posts an event, expects it accepted, and waits for what its follow-up did. */
async function postAndFinish(envelope: Envelope): Promise<{ action: string }> {
  const out = await postPagerDuty(h, envelope);
  expect(out.json()).toMatchObject({ status: 'accepted' });
  return webhookOutcome(h, envelope);
}

/** A rejected request writes nothing before it answers: this is compared right after the answer. */
async function footprintNow() {
  return { items: await tableCount(h), executions: (await incidentExecutions(h)).length };
}

describe('who may call: signatures', () => {
  const body = JSON.stringify(pagerDutyEvent('incident.triggered', 'QSIGVECTOR1'));
  it.each([
    ['signed with the current secret', signPagerDuty(body, NEW)],
    ['signed with the old secret during a rotation', signPagerDuty(body, OLD)],
    [
      'both signatures, as PagerDuty sends during a rotation',
      `${signPagerDuty(body, 'retired')},${signPagerDuty(body, NEW)}`,
    ],
  ])('%s → 202', async (_what, signature) => {
    const out = await postPagerDuty(h, body, { signature });
    expect(out.status).toBe(202);
  });

  it.each([
    ['signed with a wrong secret', signPagerDuty(body, 'not-ours')],
    ['a signature header that is not v1', signPagerDuty(body, NEW).replace('v1=', 'v0=')],
    ['no signature header', null],
    ['an empty signature header', ''],
  ])('%s → 401, nothing written', async (_what, signature) => {
    const before = await footprint();
    const out = await postPagerDuty(h, pagerDutyEvent('incident.triggered', 'QSIGREFUSED'), { signature });
    expect(out.status).toBe(401);
    expect(out.json().error).toMatch(/signature/i);
    expect(await footprintNow()).toEqual(before);
  });

  it('a tampered body → 401, nothing written', async () => {
    const before = await footprint();
    const original = JSON.stringify(pagerDutyEvent('incident.triggered', 'QTAMPERED1'));
    const out = await postPagerDuty(h, original.replace('QTAMPERED1', 'QTAMPERED2'), {
      signature: signPagerDuty(original, NEW),
    });
    expect(out.status).toBe(401);
    expect(await footprintNow()).toEqual(before);
  });
});

describe('what is refused as malformed (400 with a JSON error), and what is ignored (202)', () => {
  it.each([
    ['a body that is not JSON', '{"event": '],
    ['JSON that is not an object', '[1,2,3]'],
    ['an object with no event', '{"messages":[]}'],
    ['a v2 webhook', JSON.stringify({ messages: [{ event: 'incident.trigger', incident: { id: 'X' } }] })],
    ['an event without an id', JSON.stringify({ event: { event_type: 'incident.triggered', data: {} } })],
    [
      'a triggered event whose data has no incident id',
      JSON.stringify({ event: { id: 'e1', event_type: 'incident.triggered', data: { type: 'incident' } } }),
    ],
    [
      'a note without data.incident',
      JSON.stringify({
        event: { id: 'e2', event_type: 'incident.annotated', data: { id: 'Q1', type: 'incident_note' } },
      }),
    ],
    [
      'an incident id that cannot be one',
      JSON.stringify({
        event: { id: 'e3', event_type: 'incident.resolved', data: { id: 'a b/c', type: 'incident' } },
      }),
    ],
  ])('%s → 400', async (_what, body) => {
    const before = await footprint();
    const out = await postPagerDuty(h, body);
    expect(out.status).toBe(400);
    expect(out.headers.get('content-type')).toMatch(/application\/json/);
    expect(typeof out.json().error).toBe('string');
    expect(await footprintNow()).toEqual(before);
  });

  it('a body over 256 KB → 413, even when signed', async () => {
    const envelope = pagerDutyEvent('incident.annotated', 'QBIGBODY01', { content: 'x'.repeat(256 * 1024) });
    const out = await postPagerDuty(h, envelope);
    expect(out.status).toBe(413);
  });

  it.each([
    'pagey.ping',
    'incident.escalated',
    'incident.unacknowledged',
    'incident.responder.added',
    'service.updated',
  ] as const)('%s → 202 ignored, nothing written', async (name) => {
    const before = await footprint();
    const out = await postPagerDuty(h, pagerDutyEvent(name, 'QIGNORED01'));
    expect(out.status).toBe(202);
    expect(out.json().status).toBe('ignored');
    expect(await footprintNow()).toEqual(before);
  });

  it('an event type PagerDuty adds later → 202 ignored', async () => {
    const envelope = pagerDutyEvent('incident.triggered', 'QFUTURE001');
    envelope.event.event_type = 'incident.custom_field_values.updated';
    const out = await postPagerDuty(h, envelope);
    expect(out.status).toBe(202);
    expect(out.json().status).toBe('ignored');
  });
});

describe('one incident through its events', () => {
  const incidentId = 'QEVENTS0001';
  const webhookId = randomUUID();
  const TITLE = 'Query latency in the EU (events test)';
  const trigger = pagerDutyEvent('incident.triggered', incidentId, { title: TITLE });
  const messages = () => h.runtime.slack!.messages().map((m) => `${m.channel}/${m.ts}/${m.edits}`);
  const pendingTasks = () => h.runtime.stepFunctions.engine.pendingTasks().map((t) => t.taskToken);

  it('incident.triggered → one execution named from the incident id; the CMOC is recorded', async () => {
    const out = await postPagerDuty(h, trigger, { webhookId });
    expect(out.status).toBe(202);
    expect(out.json()).toMatchObject({ status: 'accepted', incidentId });
    expect(await webhookOutcome(h, trigger)).toMatchObject({ action: 'started-execution' });
    const names = (await incidentExecutions(h)).map((e) => e.name);
    expect(names.filter((n) => n === `incident-${incidentId}`)).toHaveLength(1);
    const item = await incidentItem(h, incidentId);
    expect(item).toMatchObject({
      source: 'pagerduty',
      severity: 'SEV3',
      services: ['query'],
      status: 'triggered',
    });
    expect(h.runtime.roster.people.map((p) => p.id)).toContain(item?.cmocId);
  });

  it('100 redeliveries of the same webhook: 202 each, one execution, no message repeated, nothing written', async () => {
    await parked();
    const quiet = await settled('the workflow after the trigger', () => ({
      m: messages(),
      t: pendingTasks(),
    }));
    const before = await footprint();
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => postPagerDuty(h, trigger, { webhookId })),
      );
      for (const a of answers) {
        statuses.push(a.status);
        expect(a.json()).toMatchObject({ status: 'duplicate' });
      }
    }
    expect(statuses).toEqual(Array.from({ length: 100 }, () => 202));
    expect(
      await settled('the workflow after the redeliveries', () => ({ m: messages(), t: pendingTasks() })),
    ).toEqual(quiet);
    expect(await footprintNow()).toEqual(before);
  });

  it('the same event under another X-Webhook-Id (a second subscription) is a duplicate too', async () => {
    const before = await footprint();
    const out = await postPagerDuty(h, trigger, { webhookId: randomUUID() });
    expect(out.status).toBe(202);
    expect(out.json()).toMatchObject({ status: 'duplicate', duplicateOf: 'event' });
    const after = await footprintNow();
    // Only the new delivery id is remembered, so its own retries are recognised at once.
    expect(after).toEqual({ ...before, items: before.items + 1 });
  });

  it('incident.acknowledged → recorded', async () => {
    const acknowledged = pagerDutyEvent('incident.acknowledged', incidentId);
    expect((await postPagerDuty(h, acknowledged)).status).toBe(202);
    expect(await webhookOutcome(h, acknowledged)).toMatchObject({ action: 'recorded-acknowledged' });
    expect((await incidentItem(h, incidentId))?.status).toBe('acknowledged');
  });

  it('incident.annotated (incident under data.incident.id) → text for the next draft, no event', async () => {
    const note = pagerDutyEvent('incident.annotated', incidentId);
    const before = await incidentEvents(h, incidentId);
    expect((await postPagerDuty(h, note)).json()).toMatchObject({ status: 'accepted', incidentId });
    expect(await webhookOutcome(h, note)).toMatchObject({ action: 'recorded-note' });
    expect((await incidentItem(h, incidentId))?.engineeringUpdate).toBe(note.event.data.content);
    expect(await incidentEvents(h, incidentId)).toEqual(before);
  });

  it('an event that arrives while nothing is parked waits, and is handed over at the next park', async () => {
    // Customer comms under way: the initial round asks the owners, and the execution waits for the round,
    // not at its parked wait.
    await ownerDmsFor(h, TITLE);
    const arn = executionArnOf(h, incidentId);
    await waitFor('the execution to be between two waits', () =>
      h.runtime.stepFunctions.engine
        .pendingTasks(arn)
        .some((t) => JSON.stringify(t.parameters).includes('park-for-events'))
        ? undefined
        : true,
    );
    const update = pagerDutyEvent('incident.status_update_published', incidentId);
    expect((await postPagerDuty(h, update)).json()).toMatchObject({ status: 'accepted', incidentId });
    expect(await webhookOutcome(h, update)).toMatchObject({ action: 'engineering_update:queued' });
    expect((await incidentItem(h, incidentId))?.engineeringUpdate).toBe(update.event.data.message);
    const stored = async () =>
      (await incidentEvents(h, incidentId)).find((e) => e.eventId === update.event.id);
    expect(await stored()).toMatchObject({ status: 'pending' });

    // Every owner (or their backup) sends; the round ends and the execution parks again, which hands the
    // update over.
    await sendAllUntil(h, TITLE, 'the queued update to be handed to the next parked wait', async () => {
      const event = await stored();
      return event?.status === 'consumed';
    });
    const history = await h.runtime.stepFunctions.engine.history(arn);
    const handedOver = history.filter(
      (e) => e.type === 'TaskSucceeded' && JSON.stringify(e).includes(update.event.id),
    );
    expect(handedOver).toHaveLength(1);
  });

  it('incident.priority_updated → severity changed (once: the same priority again changes nothing)', async () => {
    const out = await postAndFinish(pagerDutyEvent('incident.priority_updated', incidentId));
    expect(out.action).toMatch(/^severity_changed:(delivered|queued)$/);
    expect((await incidentItem(h, incidentId))?.severity).toBe('SEV2');
    const again = await postAndFinish(pagerDutyEvent('incident.priority_updated', incidentId));
    expect(again).toMatchObject({ action: 'severity-unchanged' });
  });

  it('incident.resolved → resolution; a second resolved event changes nothing; reopened → active again', async () => {
    const out = await postAndFinish(pagerDutyEvent('incident.resolved', incidentId));
    expect(out.action).toMatch(/^resolved:(delivered|queued)$/);
    expect((await incidentItem(h, incidentId))?.status).toBe('resolved');
    const before = (await incidentEvents(h, incidentId)).length;
    const again = await postAndFinish(pagerDutyEvent('incident.resolved', incidentId));
    expect(again).toMatchObject({ action: 'resolved:already-resolved' });
    expect(await incidentEvents(h, incidentId)).toHaveLength(before);
    const reopened = await postAndFinish(pagerDutyEvent('incident.reopened', incidentId));
    expect(reopened.action).toMatch(/^reopened:/);
    expect((await incidentItem(h, incidentId))?.status).toBe('triggered');
  });

  it('events for an incident we never saw are accepted and ignored', async () => {
    for (const name of ['incident.resolved', 'incident.annotated', 'incident.priority_updated'] as const) {
      expect(await postAndFinish(pagerDutyEvent(name, 'QNEVERSEEN1'))).toMatchObject({
        action: 'ignored-unknown-incident',
      });
    }
    expect(await incidentItem(h, 'QNEVERSEEN1')).toBeUndefined();
  });
});

describe('deliveries that overlap', () => {
  it('identical deliveries at once: one is processed, the rest are duplicates or told to retry (429)', async () => {
    const incidentId = 'QBURST0001';
    const trigger = pagerDutyEvent('incident.triggered', incidentId);
    const webhookId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postPagerDuty(h, trigger, { webhookId })),
    );
    const accepted = answers.filter((a) => a.status === 202 && a.json().status === 'accepted');
    expect(accepted).toHaveLength(1);
    for (const a of answers.filter((x) => !accepted.includes(x))) {
      if (a.status === 429) expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
      else expect(a.json()).toMatchObject({ status: 'duplicate' });
    }
    const names = (await incidentExecutions(h)).map((e) => e.name);
    expect(names.filter((n) => n === `incident-${incidentId}`)).toHaveLength(1);
  });

  it('a delivery in flight elsewhere → 429 + Retry-After; left by a crashed attempt (> 1 min) → taken over', async () => {
    const put = (id: string, claimedAt: number) =>
      h.db.send(
        new PutCommand({
          TableName: process.env.TABLE_NAME,
          Item: {
            pk: `WEBHOOK#delivery:${id}`,
            sk: 'META',
            status: 'processing',
            claimedAt,
            expiresAt: Date.now() / 1000 + 3600,
          },
        }),
      );
    const inFlight = randomUUID();
    await put(inFlight, Date.now());
    const busy = await postPagerDuty(h, pagerDutyEvent('incident.triggered', 'QINFLIGHT1'), {
      webhookId: inFlight,
    });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('30');
    expect(await incidentItem(h, 'QINFLIGHT1')).toBeUndefined();

    const crashed = randomUUID();
    await put(crashed, Date.now() - 2 * 60_000);
    const crashedEvent = pagerDutyEvent('incident.triggered', 'QCRASHED01');
    const retried = await postPagerDuty(h, crashedEvent, { webhookId: crashed });
    expect(retried.status).toBe(202);
    expect(retried.json()).toMatchObject({ status: 'accepted' });
    expect(await webhookOutcome(h, crashedEvent)).toMatchObject({ action: 'started-execution' });
  });
});

describe('as API Gateway may deliver it', () => {
  it('a base64-encoded body is verified over its decoded bytes', async () => {
    const { handler } = await import('../../../lambdas/handlers/http/pagerduty-webhook/handler.ts');
    const body = JSON.stringify(pagerDutyEvent('pagey.ping'));
    const event = {
      version: '2.0',
      routeKey: 'POST /webhooks/pagerduty',
      rawPath: '/webhooks/pagerduty',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signPagerDuty(body, NEW) },
      requestContext: {} as never,
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    };
    const { lambdaContext } = await import('../../../local/lambdas.ts');
    const context = lambdaContext('pagerduty-webhook', 10);
    const out = await handler(event, context);
    expect(out?.statusCode).toBe(202);
    const tampered = await handler({ ...event, body: Buffer.from(`${body} `).toString('base64') }, context);
    expect(tampered?.statusCode).toBe(401);
  });
});
