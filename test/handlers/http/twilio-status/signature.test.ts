import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { describeError, parseReceipt } from '../../../../lambdas/handlers/http/twilio-status/receipt.ts';
import {
  formParams,
  verifyTwilioRequest,
  type TwilioSignedRequest,
} from '../../../../lambdas/handlers/http/twilio-status/signature.ts';

/**
 * The X-Twilio-Signature check on its own: Twilio's documented example, then requests signed by Twilio's
 * own helper (the `twilio` package) over arbitrary forms and URLs, then what a forger can change.
 */
const DOC = {
  token: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  },
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};
const docRequest = (over: Partial<TwilioSignedRequest> = {}): TwilioSignedRequest => ({
  signature: DOC.signature,
  url: DOC.url,
  body: new URLSearchParams(DOC.params).toString(),
  ...over,
});
const verify = (token: string, request: TwilioSignedRequest) => verifyTwilioRequest(token, request).ok;

describe('X-Twilio-Signature', () => {
  it("accepts Twilio's documented example", () => {
    expect(verifyTwilioRequest(DOC.token, docRequest())).toEqual({ ok: true });
  });

  it("accepts any form signed by Twilio's helper, whatever order the fields arrive in", () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.string({ maxLength: 40 })),
        fc.string({ minLength: 1 }),
        (params, token) => {
          const url = 'https://hooks.example/webhooks/twilio/status';
          const signature = twilio.getExpectedTwilioSignature(token, url, params);
          const body = new URLSearchParams(Object.entries(params).reverse()).toString();
          expect(verify(token, { signature, url, body })).toBe(true);
          expect(verify(`${token}x`, { signature, url, body })).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts the URL with or without its default port, as Twilio may have signed either', () => {
    const params = { MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'delivered' };
    const body = new URLSearchParams(params).toString();
    const plain = 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/twilio/status';
    const withPort = 'https://abc.execute-api.eu-west-1.amazonaws.com:443/webhooks/twilio/status';
    for (const [signedUrl, receivedUrl] of [
      [withPort, plain],
      [plain, withPort],
    ] as const) {
      const signature = twilio.getExpectedTwilioSignature('tok', signedUrl, params);
      expect(verify('tok', { signature, url: receivedUrl, body })).toBe(true);
    }
  });

  it('checks a JSON body by the SHA-256 in the URL (bodySHA256), not by parameters', () => {
    const body = JSON.stringify({ MessageSid: 'SM1', MessageStatus: 'delivered' });
    const url = `https://hooks.example/webhooks/twilio/status?bodySHA256=${twilio.getExpectedBodyHash(body)}`;
    const signature = twilio.getExpectedTwilioSignature('tok', url, {});
    expect(verify('tok', { signature, url, body })).toBe(true);
    expect(verify('tok', { signature, url, body: body.replace('delivered', 'failed') })).toBe(false);
  });

  it('refuses a changed parameter, a wrong token, another URL, a missing or truncated header', () => {
    const tampered = new URLSearchParams({ ...DOC.params, Digits: '1235' }).toString();
    expect(verify(DOC.token, docRequest({ body: tampered }))).toBe(false);
    expect(verify('54321', docRequest())).toBe(false);
    expect(verify(DOC.token, docRequest({ url: `${DOC.url}&baz=3` }))).toBe(false);
    expect(verifyTwilioRequest(DOC.token, docRequest({ signature: undefined }))).toEqual({
      ok: false,
      reason: 'missing X-Twilio-Signature',
    });
    expect(verify(DOC.token, docRequest({ signature: DOC.signature.slice(0, -1) }))).toBe(false);
    const emptyToken = twilio.getExpectedTwilioSignature('', DOC.url, DOC.params);
    expect(verify('', docRequest({ signature: emptyToken }))).toBe(false);
  });

  it('refuses a SharedKey signature by name: it is not keyed with the auth token', () => {
    const settings = 'key=webhooks_sharedkey_1,algorithm=HMAC_SHA256';
    const result = verifyTwilioRequest(DOC.token, docRequest({ signatureSettings: settings }));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/SharedKey/) as unknown });
  });

  it('keeps every value of a repeated field, and a field named like an object key', () => {
    const body = 'To=%2B2&To=%2B1&To=%2B2&constructor=x&__proto__=y';
    expect(Object.entries(formParams(body))).toEqual([
      ['To', ['+2', '+1', '+2']],
      ['constructor', 'x'],
      ['__proto__', 'y'],
    ]);
    const url = 'https://hooks.example/x';
    const signature = twilio.getExpectedTwilioSignature('t', url, {
      To: ['+2', '+1', '+2'],
      constructor: 'x',
      ['__proto__']: 'y',
    });
    expect(verify('t', { signature, url, body })).toBe(true);
  });
});

describe('status callback fields', () => {
  const sid = `SM${'a1'.repeat(16)}`;

  it('takes MessageSid, MessageStatus and a numeric ErrorCode', () => {
    const form = new URLSearchParams({ MessageSid: sid, MessageStatus: 'failed', ErrorCode: '30006' });
    expect(parseReceipt(form)).toEqual({
      ok: true,
      messageSid: sid,
      messageStatus: 'failed',
      errorCode: '30006',
    });
  });

  it.each([
    [{ MessageStatus: 'sent' }, /MessageSid is missing/],
    [{ MessageSid: sid }, /MessageStatus is missing/],
    [{ MessageSid: 'SM#x', MessageStatus: 'sent' }, /not a Twilio message SID/],
    [{ MessageSid: sid, MessageStatus: 'Sent; drop' }, /not a Twilio status/],
  ])('refuses %j', (fields, error) => {
    const parsed = parseReceipt(new URLSearchParams(fields));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });

  it('says what a carrier error means, and where to read about one it does not know', () => {
    expect(describeError('30006')).toBe('30006 landline or unreachable carrier');
    expect(describeError('30003')).toMatch(/^30003 unreachable handset/);
    expect(describeError('30005')).toMatch(/^30005 unknown number/);
    expect(describeError('30007')).toBe('30007 filtered by the carrier');
    expect(describeError('30999')).toBe('30999 (see https://www.twilio.com/docs/api/errors/30999)');
    expect(describeError(undefined)).toBe('no error code given');
  });
});
