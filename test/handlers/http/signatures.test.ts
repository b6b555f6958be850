import { describe, expect, it } from 'vitest';
import {
  signPagerDuty,
  signSlack,
  verifyPagerDutySignature,
  verifySlackSignature,
} from '../../../lambdas/adapters/signatures.ts';

/**
 * Signature vectors. The PagerDuty digests were computed with `openssl dgst -sha256 -hmac`, the Slack one is
 * the worked example in Slack's "Verifying requests from Slack": both independent of the code under test.
 */
const PD_BODY =
  '{"event":{"id":"01JVECTOR","event_type":"pagey.ping","resource_type":"pagey","occurred_at":"2026-11-05T09:00:05.000Z","data":{"message":"Hello from your friend Pagey!","type":"ping"}}}';
const PD_OLD = {
  secret: 'pd-secret-old',
  hex: '0eb0cf3f0f0d93364b4a7ec45ace786565a69461218420436fd30c182e4f46bf',
};
const PD_NEW = {
  secret: 'pd-secret-new',
  hex: '14bd79e36e25f3cc71bc3d316b2045f7e95dade02cddf3aaed42832a477e8a0b',
};
const PD_UNICODE = {
  body: '{"event":{"id":"01JUNICODE","event_type":"incident.annotated","data":{"content":"Zürich – 東京 ✓"}}}',
  hex: 'f9371121de283bbcdc81864efd2b162b182507865cf67da18684fc823abb0f93',
};
/** Bytes that are not UTF-8: a signature over the bytes must verify against the bytes, not a decoding. */
const PD_RAW = {
  bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"not":"utf8"}')]),
  hex: '115f56dd6d3f22a4827d8243df3fb39413f7327de309c763aab0528f4d86963a',
};

const SLACK_DOC = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('PagerDuty v1 signatures', () => {
  const both = [PD_OLD.secret, PD_NEW.secret];
  it.each([
    ['the current secret', `v1=${PD_NEW.hex}`, [PD_NEW.secret], true],
    ['an old secret still configured during rotation', `v1=${PD_OLD.hex}`, both, true],
    [
      'two signatures during rotation, either secret',
      `v1=${PD_OLD.hex},v1=${PD_NEW.hex}`,
      [PD_NEW.secret],
      true,
    ],
    [
      'two signatures with spaces after the comma',
      `v1=${PD_OLD.hex}, v1=${PD_NEW.hex}`,
      [PD_OLD.secret],
      true,
    ],
    ['upper-case hex', `v1=${PD_NEW.hex.toUpperCase()}`, [PD_NEW.secret], true],
    ['an unknown version beside a valid v1', `v2=abc,v1=${PD_NEW.hex}`, [PD_NEW.secret], true],
    ['a wrong secret', `v1=${PD_NEW.hex}`, ['pd-secret-other'], false],
    ['no v1 entry', `v0=${PD_NEW.hex}`, [PD_NEW.secret], false],
    ['a truncated digest', `v1=${PD_NEW.hex.slice(0, 63)}`, [PD_NEW.secret], false],
    ['an empty header', '', [PD_NEW.secret], false],
    ['no secret configured', `v1=${PD_NEW.hex}`, [''], false],
  ])('%s → %s', (_what, header, secrets, expected) => {
    expect(verifyPagerDutySignature(PD_BODY, header, secrets)).toBe(expected);
  });

  it('refuses a missing header', () => {
    expect(verifyPagerDutySignature(PD_BODY, undefined, [PD_NEW.secret])).toBe(false);
  });

  it('refuses a tampered body (one byte changed)', () => {
    const tampered = PD_BODY.replace('Pagey!', 'Pagey?');
    expect(verifyPagerDutySignature(tampered, `v1=${PD_NEW.hex}`, [PD_NEW.secret])).toBe(false);
  });

  it('signs the UTF-8 bytes of non-ASCII text', () => {
    expect(signPagerDuty(PD_UNICODE.body, PD_NEW.secret)).toBe(`v1=${PD_UNICODE.hex}`);
    expect(verifyPagerDutySignature(PD_UNICODE.body, `v1=${PD_UNICODE.hex}`, [PD_NEW.secret])).toBe(true);
  });

  it('verifies raw bytes that are not valid UTF-8 exactly as received', () => {
    expect(verifyPagerDutySignature(PD_RAW.bytes, `v1=${PD_RAW.hex}`, [PD_NEW.secret])).toBe(true);
    // Decoding to text first (U+FFFD replacement) would change the bytes and the digest.
    expect(verifyPagerDutySignature(PD_RAW.bytes.toString('utf8'), `v1=${PD_RAW.hex}`, [PD_NEW.secret])).toBe(
      false,
    );
  });
});

/** What a case changes in the signed request; a header set to undefined is a header the request lacks. */
type SlackChange = Partial<Pick<typeof SLACK_DOC, 'body' | 'secret'>> &
  Partial<Record<'signature' | 'timestamp', string | undefined>>;

describe('Slack v0 signatures', () => {
  const at = Number(SLACK_DOC.timestamp);
  const headers = { signature: SLACK_DOC.signature, timestamp: SLACK_DOC.timestamp };

  it("matches Slack's published example", () => {
    expect(signSlack(SLACK_DOC.body, SLACK_DOC.timestamp, SLACK_DOC.secret)).toBe(SLACK_DOC.signature);
    expect(verifySlackSignature(SLACK_DOC.body, headers, SLACK_DOC.secret, at + 60)).toEqual({ ok: true });
  });

  it.each([
    ['4:59 old', at + 299, true],
    ['5:01 old (stale)', at + 301, false],
    ['5:01 in the future', at - 301, false],
  ])('a request %s', (_what, now, ok) => {
    expect(verifySlackSignature(SLACK_DOC.body, headers, SLACK_DOC.secret, now).ok).toBe(ok);
  });

  it.each([
    ['a tampered body', { body: SLACK_DOC.body.replace('roadrunner', 'coyote') }],
    ['a wrong secret', { secret: 'not-the-signing-secret' }],
    ['a missing signature', { signature: undefined }],
    ['a missing timestamp', { timestamp: undefined }],
    ['a timestamp that is not a number', { timestamp: '1531420618.5' }],
    ['a signature of another version', { signature: SLACK_DOC.signature.replace('v0=', 'v1=') }],
    ['a signature that is not hex', { signature: 'v0=zz' }],
    ['an empty secret', { secret: '' }],
  ])('refuses %s', (_what, change: SlackChange) => {
    const input = { ...SLACK_DOC, ...change };
    const result = verifySlackSignature(
      input.body,
      { signature: input.signature, timestamp: input.timestamp },
      input.secret,
      at + 60,
    );
    expect(result.ok).toBe(false);
  });
});
