import { randomBytes } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../../lambdas/domain/records/notification.ts';
import type { DeliverUpdateInput, DeliverUpdateOutput } from '../../../../lambdas/contract/payloads.ts';
import { postSlackCommand, waitFor } from '../../../../local/driver.ts';
import { LOCAL_DEFAULTS } from '../../../../local/options.ts';
import type { Runtime } from '../../../../local/runtime.ts';
import type { TwilioStandIn } from '../../../../local/twilio/index.ts';
import { seedRound } from '../../../support/seed.ts';
import { startWorld, type World } from '../../../support/world.ts';

/**
 * Twilio's delivery receipts on the embedded runtime: the Twilio stand-in posts signed status callbacks to
 * the StatusCallback the product sent each SMS with — the runtime's own POST /webhooks/twilio/status — and
 * the notification log, the read API and `/comms status` show what the carrier said.
 */
let world: World;
let runtime: Runtime;
let stand: TwilioStandIn;
let deliver: (input: DeliverUpdateInput) => Promise<DeliverUpdateOutput>;
let logOf: (incidentId: string, round?: number) => Promise<LogEntry[]>;
let callbackUrl: string;

const INCIDENT = 'QRCPT00001';
/** SEV1 on billing reaches two high-touch accounts by SMS: meridian-pay (lena), dunmore-bank (ines). */
const DELIVERED_TO = '+15555550102';
const LANDLINE = '+15555550103';
const FINAL = new Set(['delivered', 'undelivered', 'failed']);

beforeAll(async () => {
  world = await startWorld({ timeScale: 60 });
  ({ runtime, twilio: stand } = world);
  callbackUrl = process.env.TWILIO_STATUS_CALLBACK_URL ?? '';
  deliver = (await import('../../../../lambdas/handlers/steps/deliver-update/handler.ts')).handler;
  logOf = (await import('../../../../lambdas/adapters/notification-log.ts')).logOf;
  await seedRound(runtime.roster, {
    incidentId: INCIDENT,
    severity: 'SEV1',
    services: ['billing'],
    round: 1,
  });
});
afterAll(() => world?.close());

const send = (ownerId: string) =>
  deliver({ incidentId: INCIDENT, round: 1, ownerId, senderId: ownerId, mode: 'send', asCompany: false });
const smsEntry = async (to: string) => (await logOf(INCIDENT, 1)).find((e) => e.recipient === to);
const sidTo = (to: string) => {
  const [message, ...more] = stand.messages({ to });
  expect(more, `one SMS to ${to}`).toEqual([]);
  return message!.sid;
};
/** Messages whose final callback (the last step) the stand-in has attempted. */
const finished = () =>
  new Set(
    stand
      .callbacks()
      .filter((c) => FINAL.has(c.status))
      .map((c) => c.messageSid),
  );

/** POSTs a status callback as Twilio would, signed by Twilio's own helper unless told otherwise. */
async function postCallback(
  params: Record<string, string>,
  options: { token?: string; signature?: string | null; sign?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string }> {
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(
          options.token ?? LOCAL_DEFAULTS.twilioAuthToken,
          callbackUrl,
          options.sign ?? params,
        )
      : options.signature;
  const response = await fetch(`${runtime.apiUrl}/webhooks/twilio/status`, {
    method: 'POST',
    headers: {
      'content-type': options.body ? 'application/json' : 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: options.body ?? new URLSearchParams(params).toString(),
  });
  return { status: response.status, text: await response.text() };
}
const callbackFor = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  AccountSid: LOCAL_DEFAULTS.twilioAccountSid,
  ApiVersion: '2010-04-01',
  MessageSid: sid,
  MessageStatus: status,
  SmsSid: sid,
  SmsStatus: status,
  ...extra,
});

describe('receipts from the Twilio stand-in', () => {
  it('points the SMS StatusCallback at the runtime’s own route', () => {
    expect(callbackUrl).toBe(`${runtime.apiUrl}/webhooks/twilio/status`);
  });

  it('records delivered on the SMS log item, leaving the send’s own status alone', async () => {
    const result = await send('lena');
    expect(result.failed).toBe(0);
    const sid = sidTo(DELIVERED_TO);
    const entry = await waitFor(`the delivered receipt for ${sid}`, async () => {
      const e = await smsEntry(DELIVERED_TO);
      return e?.deliveryStatus === 'delivered' ? e : undefined;
    });
    expect(entry).toMatchObject({ status: 'sent', providerId: sid, attempts: 1, accountId: 'meridian-pay' });
    expect(Date.parse(entry.deliveredAt ?? '')).not.toBeNaN();
    expect(entry.deliveryError).toBeUndefined();
    // The route writes the log before it answers, and the stand-in records a callback only once it has
    // read that answer: the log can show `delivered` a moment before the callback list does.
    await waitFor(`the stand-in to record the answer to the final callback for ${sid}`, () =>
      finished().has(sid) ? true : undefined,
    );
    const answered = stand.callbacks().filter((c) => c.messageSid === sid);
    expect(answered.map((c) => [c.status, c.httpStatus])).toEqual([
      ['sent', 200],
      ['delivered', 200],
    ]);
  });

  it('keeps delivered when a late `sent` arrives, and changes nothing when `delivered` comes again', async () => {
    const sid = sidTo(DELIVERED_TO);
    const before = await smsEntry(DELIVERED_TO);
    const late = await stand.replayStatus(sid, 'sent');
    expect(late.httpStatus).toBe(200);
    const again = await stand.replayStatus(sid, 'delivered');
    expect(again.httpStatus).toBe(200);
    expect(await smsEntry(DELIVERED_TO)).toEqual(before);
  });

  it('records a failed receipt with the carrier error and what it means', async () => {
    stand.failDelivery(LANDLINE, { status: 'failed', errorCode: 30006 });
    await send('ines');
    const sid = sidTo(LANDLINE);
    const entry = await waitFor(`the failed receipt for ${sid}`, async () => {
      const e = await smsEntry(LANDLINE);
      return e?.deliveryStatus ? e : undefined;
    });
    expect(entry).toMatchObject({
      status: 'sent',
      providerId: sid,
      deliveryStatus: 'failed',
      deliveryError: '30006 landline or unreachable carrier',
    });
    expect(entry.deliveredAt).toBeUndefined();
    // The CMOC hears of it on its own (it comes after the round's summary), without the number.
    const told = await waitFor('the CMOC to be told the text did not arrive', () =>
      runtime.slack!.messages().find((m) => /text message to .+ was not delivered/.test(m.text ?? '')),
    );
    expect(told.text).toContain('30006 landline or unreachable carrier');
    expect(told.text).not.toContain(LANDLINE);
    const cmoc = runtime.roster.people.find((p) => p.id === 'ines')!; // the seeded incident's CMOC
    expect(runtime.slack!.dmUser(told.channel)).toBe(cmoc.slackUserId);
  });

  it('shows the receipts in the log’s CSV and JSON', async () => {
    const csv = await (
      await fetch(`${runtime.apiUrl}/api/incidents/${INCIDENT}/notifications?channel=sms&format=csv`)
    ).text();
    const [head, ...rows] = csv.trimEnd().split('\r\n');
    expect(head).toMatch(/,delivery_status,delivery_error,delivered_at$/);
    expect(rows.find((r) => r.includes(DELIVERED_TO))).toMatch(/,delivered,,\d{4}-\d\d-\d\dT[^,]+$/);
    expect(rows.find((r) => r.includes(LANDLINE))).toMatch(/,failed,30006 landline or unreachable carrier,$/);
    const json = (await (
      await fetch(`${runtime.apiUrl}/api/incidents/${INCIDENT}/notifications?channel=sms`)
    ).json()) as { notifications: Record<string, unknown>[] };
    expect(json.notifications.map((n) => n.delivery_status).sort()).toEqual(['delivered', 'failed']);
  });

  it('tells the CMOC in /comms status which SMS did not arrive', async () => {
    const reply = await postSlackCommand(runtime, 'U0EMEA01', `status ${INCIDENT}`);
    expect(reply.status).toBe(200);
    const text = (JSON.parse(reply.body) as { text: string }).text;
    const line = text.split('\n').find((l) => l.includes('Dunmore'));
    expect(line).toContain('sms by');
    expect(line).toContain('⚠️ not delivered (30006 landline or unreachable carrier)');
    expect(text.split('\n').find((l) => l.includes('Meridian'))).not.toContain('not delivered');
  });
});

describe('POST /webhooks/twilio/status', () => {
  beforeAll(async () => {
    // Everything the stand-in will post has been answered, so the table holds still from here on.
    await waitFor('every SMS to have had its final callback', () =>
      finished().size === stand.messages().length ? true : undefined,
    );
  });

  it('answers 401 to a missing signature, a wrong token, a changed parameter', async () => {
    const params = callbackFor(sidTo(DELIVERED_TO), 'undelivered', { ErrorCode: '30003' });
    expect((await postCallback(params, { signature: null })).status).toBe(401);
    expect((await postCallback(params, { token: 'not-the-token' })).status).toBe(401);
    const signedForOther = { ...params, MessageStatus: 'delivered', SmsStatus: 'delivered' };
    const tampered = await postCallback(params, { sign: signedForOther });
    expect(tampered.status).toBe(401);
    expect(JSON.parse(tampered.text)).toEqual({ error: 'X-Twilio-Signature does not match' });
    expect((await smsEntry(DELIVERED_TO))?.deliveryStatus).toBe('delivered');
  });

  it('answers 400 to a body that is not a form, or a form without MessageSid or MessageStatus', async () => {
    const notForm = await postCallback({}, { signature: 'x', body: '{"MessageSid":"SM1"}' });
    expect(notForm.status).toBe(400);
    expect(JSON.parse(notForm.text)).toEqual({ error: 'body is not application/x-www-form-urlencoded' });
    const noSid = await postCallback({ MessageStatus: 'delivered' });
    expect([noSid.status, JSON.parse(noSid.text)]).toEqual([400, { error: 'MessageSid is missing' }]);
    const noStatus = await postCallback({ MessageSid: sidTo(DELIVERED_TO) });
    expect([noStatus.status, JSON.parse(noStatus.text)]).toEqual([
      400,
      { error: 'MessageStatus is missing' },
    ]);
  });

  it('answers 200 to a valid callback it does not act on, and to an unknown SID, writing nothing', async () => {
    const table = new DynamoDBClient({
      endpoint: runtime.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const snapshot = async () =>
      JSON.stringify(
        (await table.send(new ScanCommand({ TableName: process.env.TABLE_NAME, ConsistentRead: true })))
          .Items,
      );
    const before = await snapshot();
    const queued = await postCallback(callbackFor(sidTo(DELIVERED_TO), 'queued'));
    expect(queued.status).toBe(200);
    const unknownSid = `SM${randomBytes(16).toString('hex')}`;
    const unknown = await postCallback(callbackFor(unknownSid, 'undelivered', { ErrorCode: '30005' }));
    expect(unknown.status).toBe(200);
    expect(unknown.text.length).toBeLessThan(64);
    expect(await snapshot()).toBe(before);
    table.destroy();
  });

  it('answers 200 `unchanged` to a genuine repeat of a receipt already recorded', async () => {
    // The landline's SMS ended `failed`; a genuine repeat of that receipt is answered 200 and changes nothing.
    const sid = sidTo(LANDLINE);
    const before = await smsEntry(LANDLINE);
    const answer = await postCallback(callbackFor(sid, 'failed', { ErrorCode: '30006' }));
    expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { status: 'unchanged' }]);
    expect(await smsEntry(LANDLINE)).toEqual(before);
  });
});
