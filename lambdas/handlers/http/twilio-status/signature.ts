// The webhook helpers alone: the package's entry point would bundle Twilio's whole REST client.
import {
  SIGNATURE_SETTINGS_HEADER,
  validateRequest,
  validateRequestWithBody,
} from 'twilio/lib/webhooks/webhooks.js';

/** What Twilio signed a request over, as the handler received it. */
export interface TwilioSignedRequest {
  /** `X-Twilio-Signature`. */
  readonly signature: string | undefined;
  /** The URL Twilio called, with its query string (docs/architecture.md, "Facts that bite": Twilio). */
  readonly url: string;
  /** The raw body. */
  readonly body: string;
  /** `X-Twilio-Webhooks-Signature-Settings`: present only on webhooks signed with a SharedKey. */
  readonly signatureSettings?: string | undefined;
}

export type TwilioVerification = { ok: true } | { ok: false; reason: string };

/**
 * Twilio's own check (the `twilio` package's validateRequest), so the variants it accepts are ours too:
 * the URL with and without its default port (`:443`), and normalised as Node's URL and legacy
 * querystring would. A JSON body is signed differently: its SHA-256 travels as `bodySHA256` in the URL and
 * the signature covers the URL alone (validateRequestWithBody). A form's signature covers its parameters.
 */
export function verifyTwilioRequest(authToken: string, request: TwilioSignedRequest): TwilioVerification {
  const signature = request.signature?.trim();
  if (!signature) return { ok: false, reason: 'missing X-Twilio-Signature' };
  if (request.signatureSettings) {
    // A SharedKey webhook is keyed with that key's secret, which this product does not hold.
    return {
      ok: false,
      reason: `signed with a SharedKey (${SIGNATURE_SETTINGS_HEADER}); use the auth token`,
    };
  }
  if (authToken === '') return { ok: false, reason: 'no Twilio auth token configured' };
  const valid = hasBodyHash(request.url)
    ? validateRequestWithBody(authToken, signature, request.url, request.body)
    : validateRequest(authToken, signature, request.url, formParams(request.body));
  return valid ? { ok: true } : { ok: false, reason: 'X-Twilio-Signature does not match' };
}

function hasBodyHash(url: string): boolean {
  try {
    return new URL(url).searchParams.has('bodySHA256');
  } catch {
    return false;
  }
}

/** A form as the helper takes it: a name sent more than once keeps every value (it signs each distinct one). */
export function formParams(body: string): Record<string, string | string[]> {
  // No prototype: a field named `__proto__` or `constructor` is a field like any other.
  const params = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = params[name];
    if (seen === undefined) params[name] = value;
    else params[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}
