import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsSender, SmsRejected, SmsSendError, SmsTransientError } from '../../lambdas/adapters/sms.ts';
import type { SmsSenderConfig } from '../../lambdas/adapters/sms.ts';
import { startTwilioStandIn } from '../../local/twilio/index.ts';
import type { TwilioStandIn } from '../../local/twilio/index.ts';

const ACCOUNT = `AC${'a'.repeat(32)}`;
const TOKEN = 'sms-adapter-token';
let twilio: TwilioStandIn;
let config: SmsSenderConfig;

beforeAll(async () => {
  twilio = await startTwilioStandIn({ accountSid: ACCOUNT, authToken: TOKEN, statusStepMs: 1000 });
  config = { accountSid: ACCOUNT, authToken: TOKEN, apiUrl: `${twilio.url}/`, from: '+15005550006' };
});
afterAll(() => twilio.close());

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected send to fail, it succeeded');
}

describe('SMS adapter (twilio client → Twilio stand-in)', () => {
  it('sends and returns the provider id, status and segments', async () => {
    const sms = createSmsSender(config);
    const result = await sms.send({
      to: '+447700900123',
      body: 'Acme: checkout is failing since 14:05 UTC. Next update by 15:00. Dana',
      statusCallback: 'http://127.0.0.1:9/sms/status',
    });
    expect(result.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result).toEqual({ providerId: result.providerId, status: 'queued', segments: 1 });
    const [stored] = twilio.messages({ to: '+447700900123' });
    expect(stored).toMatchObject({
      sid: result.providerId,
      from: '+15005550006',
      statusCallback: 'http://127.0.0.1:9/sms/status',
    });
  });

  it('sends through a Messaging Service when one is configured', async () => {
    const service = `MG${'b'.repeat(32)}`;
    const { from: _number, ...withoutNumber } = config;
    const sms = createSmsSender({ ...withoutNumber, messagingServiceSid: service });
    const result = await sms.send({ to: '+447700900124', body: 'ł'.repeat(71) });
    expect(result).toMatchObject({ status: 'accepted', segments: 2 });
    expect(twilio.messages({ to: '+447700900124' })[0]).toMatchObject({
      messagingServiceSid: service,
      from: null,
    });
  });

  it.each([
    ['+15005550001', 21211],
    ['+15005550009', 21614],
    ['+15005550005', 21635],
    ['+15005550004', 21610],
    ['+15005550002', 21612],
  ])('rejects %s permanently with code %i', async (to, code) => {
    const error = await failure(createSmsSender(config).send({ to, body: 'x' }));
    expect(error).toBeInstanceOf(SmsRejected);
    expect(error).toMatchObject({ name: 'SmsRejected', code, permanent: true });
  });

  it('reports 5xx and 429 as transient', async () => {
    twilio.failNext({ status: 500 });
    twilio.failNext({ status: 429 });
    const sms = createSmsSender(config);
    const first = await failure(sms.send({ to: '+447700900125', body: 'x' }));
    const second = await failure(sms.send({ to: '+447700900125', body: 'x' }));
    expect(first).toBeInstanceOf(SmsTransientError);
    expect(first).toMatchObject({ name: 'SmsTransientError', status: 500, permanent: false });
    expect(second).toMatchObject({ name: 'SmsTransientError', status: 429, code: 20429 });
    expect(twilio.messages({ to: '+447700900125' })).toEqual([]);
  });

  it('reports a refused request (credentials, sender) as a send error, not a rejected recipient', async () => {
    const badToken = await failure(
      createSmsSender({ ...config, authToken: 'wrong' }).send({ to: '+447700900126', body: 'x' }),
    );
    expect(badToken).toBeInstanceOf(SmsSendError);
    expect(badToken).toMatchObject({ name: 'SmsSendError', status: 401, code: 20003 });
    const badFrom = await failure(
      createSmsSender({ ...config, from: '+15005550007' }).send({ to: '+447700900126', body: 'x' }),
    );
    expect(badFrom).toMatchObject({ name: 'SmsSendError', status: 400, code: 21606 });
  });

  it('reports an unreachable Twilio as transient', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const error = await failure(
      createSmsSender({ ...config, apiUrl: `http://127.0.0.1:${closedPort}` }).send({
        to: '+447700900127',
        body: 'x',
      }),
    );
    expect(error).toBeInstanceOf(SmsTransientError);
    expect(error).toMatchObject({ status: undefined });
    expect(error.message).toContain('Twilio unreachable');
  });

  it('needs a sender', () => {
    expect(() => createSmsSender({ accountSid: ACCOUNT, authToken: TOKEN })).toThrow(
      /messagingServiceSid` or `from/,
    );
  });
});
