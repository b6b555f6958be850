import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (`X-Twilio-Signature`): base64 HMAC-SHA1 keyed with the auth token over the
 * full URL Twilio called, followed by every POST parameter as name + value, sorted by name. A name sent
 * more than once contributes each distinct value, sorted, as Twilio's own helper does.
 */
export function twilioSignatureOf(authToken: string, url: string, params: URLSearchParams): string {
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of params) {
    const values = byName.get(name) ?? new Set<string>();
    values.add(value);
    byName.set(name, values);
  }
  let data = url;
  for (const name of [...byName.keys()].sort()) {
    for (const value of [...(byName.get(name) ?? [])].sort()) data += name + value;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Constant-time check of the header against the signature the request must carry. */
export function verifyTwilioSignature(
  authToken: string,
  header: string | undefined,
  url: string,
  params: URLSearchParams,
): boolean {
  if (!header || authToken === '') return false;
  const expected = Buffer.from(twilioSignatureOf(authToken, url, params), 'utf8');
  const given = Buffer.from(header.trim(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
