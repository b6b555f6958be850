import { createHmac, timingSafeEqual } from 'node:crypto';

/** A request body: the bytes as received (preferred) or text, which is signed as its UTF-8 encoding. */
export type SignedBody = string | Uint8Array;

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
/**
 * PagerDuty sends one signature per active secret, so a rotation means two or three. A header with
 * hundreds would only make us compute hundreds of comparisons for an attacker.
 */
const MAX_PAGERDUTY_SIGNATURES = 10;

function hmacHex(key: string, ...parts: SignedBody[]): string {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  return mac.digest('hex');
}

/** Constant-time comparison of two hex digests; both are lower-cased first (hex is case-insensitive). */
function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b.toLowerCase(), 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, each an HMAC-SHA256 of the raw body with one
 * active secret. During a rotation several signatures and several secrets are live: any match is enough.
 * Entries of other versions are skipped (a future `v2=` must not make a valid `v1=` fail).
 */
export function verifyPagerDutySignature(
  body: SignedBody,
  header: string | undefined,
  secrets: readonly string[],
): boolean {
  if (!header) return false;
  const keys = secrets.filter((secret) => secret.length > 0);
  if (keys.length === 0) return false;
  const offered = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3))
    .filter((hex) => HEX_SHA256.test(hex))
    .slice(0, MAX_PAGERDUTY_SIGNATURES);
  if (offered.length === 0) return false;
  let matched = false;
  for (const key of keys) {
    const expected = hmacHex(key, body);
    // Compare against every offered signature without early exit, so timing says nothing about which matched.
    for (const signature of offered) matched = sameHex(signature, expected) || matched;
  }
  return matched;
}

export function signPagerDuty(body: SignedBody, secret: string): string {
  return `v1=${hmacHex(secret, body)}`;
}

export const SLACK_MAX_AGE_SECONDS = 5 * 60;

export type SlackVerification = { ok: true } | { ok: false; reason: string };

/**
 * Slack: `v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + rawBody))`. A timestamp more than five minutes
 * from now (either way) is refused, so a captured request cannot be replayed later.
 */
export function verifySlackSignature(
  body: SignedBody,
  headers: { signature: string | undefined; timestamp: string | undefined },
  signingSecret: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): SlackVerification {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, reason: 'missing Slack signature headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed Slack request timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) {
    return { ok: false, reason: 'Slack request timestamp is outside the 5-minute window' };
  }
  if (!signature.startsWith('v0=') || !HEX_SHA256.test(signature.slice(3))) {
    return { ok: false, reason: 'malformed Slack signature' };
  }
  if (signingSecret === '') return { ok: false, reason: 'no Slack signing secret configured' };
  const expected = hmacHex(signingSecret, `v0:${timestamp}:`, body);
  return sameHex(signature.slice(3), expected)
    ? { ok: true }
    : { ok: false, reason: 'Slack signature does not match' };
}

export function signSlack(body: SignedBody, timestamp: string, signingSecret: string): string {
  return `v0=${hmacHex(signingSecret, `v0:${timestamp}:`, body)}`;
}
