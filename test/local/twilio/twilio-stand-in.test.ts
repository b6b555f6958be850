import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioStandIn } from '../../../local/twilio/index.ts';
import type { TwilioStandIn } from '../../../local/twilio/index.ts';
import { waitFor } from '../../../local/driver.ts';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'local-auth-token';
const FROM = '+15005550006';
let stand: TwilioStandIn;

function auth(user = ACCOUNT, password = TOKEN): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function create(fields: Record<string, string>, authorization = auth()) {
  const response = await fetch(`${stand.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

async function get(path: string) {
  const response = await fetch(`${stand.url}/2010-04-01/Accounts/${ACCOUNT}${path}`, {
    headers: { authorization: auth() },
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  stand = await startTwilioStandIn({ accountSid: ACCOUNT, authToken: TOKEN, statusStepMs: 10 });
});
afterAll(() => stand.close());

describe('Twilio stand-in: Messages', () => {
  it('creates a message like Twilio: 201 and the Message resource', async () => {
    const { status, json } = await create({
      To: '+447700900123',
      From: FROM,
      Body: 'Checkout is down; next update 15:00',
    });
    expect(status).toBe(201);
    expect(String(json.sid)).toMatch(/^SM[0-9a-f]{32}$/);
    expect(String(json.date_created)).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(json).toMatchObject({
      account_sid: ACCOUNT,
      api_version: '2010-04-01',
      status: 'queued',
      to: '+447700900123',
      from: FROM,
      body: 'Checkout is down; next update 15:00',
      num_segments: '1',
      direction: 'outbound-api',
      error_code: null,
    });
    const fetched = await get(`/Messages/${String(json.sid)}.json`);
    expect(fetched.json).toMatchObject({ sid: json.sid, body: json.body });
    const list = await get('/Messages.json?To=%2B447700900123');
    expect((list.json.messages as { sid: string }[]).map((m) => m.sid)).toContain(json.sid);
  });

  it('answers accepted, with no From, through a Messaging Service', async () => {
    const { status, json } = await create({
      To: '+447700900124',
      MessagingServiceSid: `MG${'2'.repeat(32)}`,
      Body: 'x',
    });
    expect(status).toBe(201);
    expect(json).toMatchObject({
      status: 'accepted',
      from: null,
      messaging_service_sid: `MG${'2'.repeat(32)}`,
    });
  });

  it('counts segments as Twilio does', async () => {
    expect((await create({ To: '+447700900125', From: FROM, Body: 'a'.repeat(161) })).json.num_segments).toBe(
      '2',
    );
    expect((await create({ To: '+447700900125', From: FROM, Body: 'ł'.repeat(71) })).json.num_segments).toBe(
      '2',
    );
  });

  it('refuses bad credentials with 401 / 20003', async () => {
    const wrong = await create({ To: '+447700900123', From: FROM, Body: 'x' }, auth(ACCOUNT, 'nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ code: 20003, status: 401 });
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    expect((await create({ To: '+447700900123', From: FROM, Body: 'x' }, '')).status).toBe(401);
  });

  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550005', 21635],
    ['+15005550009', 21614],
    ['07700 900123', 21211],
  ])('rejects To %s with %i', async (to, code) => {
    const before = stand.messages().length;
    const { status, json } = await create({ To: to, From: FROM, Body: 'x' });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      code,
      status: 400,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
    });
    expect(String(json.message)).not.toBe('');
    expect(stand.messages()).toHaveLength(before);
  });

  it.each([
    [{ To: '+447700900123', From: '+15005550001', Body: 'x' }, 21212],
    [{ To: '+447700900123', From: '+15005550007', Body: 'x' }, 21606],
    [{ To: '+447700900123', From: FROM }, 21602],
    [{ From: FROM, Body: 'x' }, 21604],
    [{ To: '+447700900123', Body: 'x' }, 21603],
    [{ To: '+447700900123', From: FROM, Body: 'a'.repeat(1601) }, 21617],
  ])('validates the request: %o → %i', async (fields, code) => {
    expect((await create(fields)).json).toMatchObject({ code, status: 400 });
  });

  it('injects faults for the next creations only', async () => {
    stand.failNext({ status: 500 }, 2);
    stand.failNext({ status: 429 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await create({ To: '+447700900126', From: FROM, Body: `try ${i}` })).status);
    expect(statuses).toEqual([500, 500, 429, 201]);
    expect(stand.messages({ to: '+447700900126' }).map((m) => m.body)).toEqual(['try 3']);
  });

  it('answers 404 for unknown messages', async () => {
    expect((await get(`/Messages/SM${'0'.repeat(32)}.json`)).json).toMatchObject({
      code: 20404,
      status: 404,
    });
  });
});

describe('Twilio stand-in: status callbacks', () => {
  it('posts sent then delivered, signed as Twilio signs them', async () => {
    const received: { signature: string; params: Record<string, string> }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({
          signature: String(req.headers['x-twilio-signature']),
          params: Object.fromEntries(new URLSearchParams(body)),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms/status?incident=P1`;
    try {
      const { json } = await create({
        To: '+447700900127',
        From: FROM,
        Body: 'x',
        StatusCallback: callbackUrl,
      });
      await waitFor('two status callbacks', () => (received.length >= 2 ? true : undefined));
      expect(received.map((r) => r.params.MessageStatus)).toEqual(['sent', 'delivered']);
      expect(received[0]?.params).toMatchObject({
        MessageSid: json.sid,
        AccountSid: ACCOUNT,
        To: '+447700900127',
        From: FROM,
      });
      for (const r of received) {
        expect(twilio.validateRequest(TOKEN, r.signature, callbackUrl, r.params)).toBe(true);
        expect(twilio.validateRequest('another-token', r.signature, callbackUrl, r.params)).toBe(false);
      }
      expect((await get(`/Messages/${String(json.sid)}.json`)).json.status).toBe('delivered');
      // The stand-in records an attempt once it has read the receiver's answer, after the receiver got it.
      const attempts = await waitFor('both callback attempts recorded', () => {
        const mine = stand.callbacks().filter((c) => c.messageSid === json.sid);
        return mine.length >= 2 ? mine : undefined;
      });
      expect(attempts.map((c) => c.httpStatus)).toEqual([204, 204]);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
