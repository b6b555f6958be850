import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { describeError, parseReceipt } from '../../../../lambdas/handlers/http/twilio-status/receipt.ts';
import {
  twilioSignatureOf,
  verifyTwilioSignature,
} from '../../../../lambdas/handlers/http/twilio-status/signature.ts';

/**
 * The X-Twilio-Signature check on its own: Twilio's documented example, then agreement with Twilio's own
 * helper (the `twilio` package) on arbitrary forms, then what a forger can change.
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

describe('X-Twilio-Signature', () => {
  it("matches Twilio's documented example", () => {
    const form = new URLSearchParams(DOC.params);
    expect(twilioSignatureOf(DOC.token, DOC.url, form)).toBe(DOC.signature);
    expect(verifyTwilioSignature(DOC.token, DOC.signature, DOC.url, form)).toBe(true);
  });

  it("agrees with Twilio's helper on any form, whatever order the fields arrive in", () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/);
    fc.assert(
      fc.property(fc.dictionary(name, fc.string({ maxLength: 40 })), fc.string(), (params, token) => {
        const url = 'https://hooks.example/webhooks/twilio/status';
        const form = new URLSearchParams(Object.entries(params).reverse());
        const ours = twilioSignatureOf(token, url, form);
        expect(ours).toBe(twilio.getExpectedTwilioSignature(token, url, params));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a changed parameter, a wrong token, another URL, a missing or truncated header', () => {
    const form = new URLSearchParams(DOC.params);
    const tampered = new URLSearchParams({ ...DOC.params, Digits: '1235' });
    expect(verifyTwilioSignature(DOC.token, DOC.signature, DOC.url, tampered)).toBe(false);
    expect(verifyTwilioSignature('54321', DOC.signature, DOC.url, form)).toBe(false);
    expect(verifyTwilioSignature(DOC.token, DOC.signature, `${DOC.url}&baz=3`, form)).toBe(false);
    expect(verifyTwilioSignature(DOC.token, undefined, DOC.url, form)).toBe(false);
    expect(verifyTwilioSignature(DOC.token, DOC.signature.slice(0, -1), DOC.url, form)).toBe(false);
    expect(verifyTwilioSignature('', twilioSignatureOf('', DOC.url, form), DOC.url, form)).toBe(false);
  });

  it('counts a repeated field once per distinct value, as Twilio does', () => {
    const form = new URLSearchParams([
      ['To', '+2'],
      ['To', '+1'],
      ['To', '+2'],
    ]);
    const url = 'https://hooks.example/x';
    expect(twilioSignatureOf('t', url, form)).toBe(
      twilio.getExpectedTwilioSignature('t', url, { To: ['+2', '+1', '+2'] }),
    );
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
