import { createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of two hex digests of any length. */
function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, each an HMAC-SHA256 of the raw body with one
 * active secret. During a rotation several signatures and several secrets are live: any match is enough.
 */
export function verifyPagerDutySignature(
  rawBody: string,
  header: string | undefined,
  secrets: string[],
): boolean {
  if (!header || secrets.length === 0) return false;
  const offered = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3).toLowerCase());
  if (offered.length === 0) return false;
  let matched = false;
  for (const key of secrets) {
    const expected = createHmac('sha256', key).update(rawBody, 'utf8').digest('hex');
    // Compare against every offered signature without early exit, so timing says nothing about which matched.
    for (const signature of offered) matched = sameHex(signature, expected) || matched;
  }
  return matched;
}

export function signPagerDuty(rawBody: string, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

export const SLACK_MAX_AGE_SECONDS = 5 * 60;

export type SlackVerification = { ok: true } | { ok: false; reason: string };

/** Slack: `v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + rawBody))`, rejected when older than 5 minutes. */
export function verifySlackSignature(
  rawBody: string,
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
  const expected = signSlack(rawBody, timestamp, signingSecret);
  return sameHex(signature, expected)
    ? { ok: true }
    : { ok: false, reason: 'Slack signature does not match' };
}

export function signSlack(rawBody: string, timestamp: string, signingSecret: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`, 'utf8').digest('hex')}`;
}
