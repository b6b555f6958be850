import twilio from 'twilio';

/**
 * The only code that talks to Twilio. It sends one SMS and sorts failures into what the workflow must do
 * next: give up on this recipient (SmsRejected), try again later (SmsTransientError), or stop and page an
 * operator because the request itself is wrong (SmsSendError: credentials, sender, body).
 */
export interface SmsSenderConfig {
  accountSid: string;
  authToken: string;
  /** Twilio's API base URL override (TWILIO_API_URL), e.g. the local stand-in. Default https://api.twilio.com. */
  apiUrl?: string;
  /** Send through a Messaging Service (Twilio picks the number)… */
  messagingServiceSid?: string;
  /** …or from this number. One of the two is required; the service wins when both are set. */
  from?: string;
  /** Per-request timeout. Default 10 s, well inside the Lambda's own timeout. */
  timeoutMs?: number;
}

export interface SmsMessage {
  /** E.164, e.g. +447700900123. */
  to: string;
  body: string;
  /** Where Twilio posts delivery status (sent, delivered, undelivered, failed). */
  statusCallback?: string;
}

export interface SmsSendResult {
  /** Twilio's message SID (SM…), what the notification log records. */
  providerId: string;
  /** Twilio's initial status: `queued`, or `accepted` through a Messaging Service. */
  status: string;
  segments: number;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SmsSendResult>;
}

/**
 * Twilio errors that are about the recipient and will not change on retry. 21211 invalid number, 21614 not a
 * mobile number, 21635 landline, 21610 unsubscribed (the handbook's four), plus 21612 unreachable via SMS and
 * 21408 region not enabled, which a retry cannot fix either.
 */
export const RECIPIENT_REJECTIONS: ReadonlySet<number> = new Set([21211, 21614, 21635, 21610, 21612, 21408]);

/** The recipient cannot get SMS from us: record it and fall back to another channel; never retry. */
export class SmsRejected extends Error {
  override readonly name = 'SmsRejected';
  readonly permanent = true;
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Twilio was busy or unreachable (429, 5xx, network): safe to retry with backoff. */
export class SmsTransientError extends Error {
  override readonly name = 'SmsTransientError';
  readonly permanent = false;
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The request was refused for a reason on our side (credentials, sender, body): retrying will not help. */
export class SmsSendError extends Error {
  override readonly name = 'SmsSendError';
  readonly permanent = true;
  constructor(
    message: string,
    readonly status: number,
    readonly code?: number,
  ) {
    super(message);
  }
}

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];

/**
 * twilio 6 has no base-URL option. Setting `client.api.baseUrl` works only for some hosts: the client then
 * rewrites the hostname for regions and edges, which turns `twilio.local` into `twilio.local.twilio.local`
 * (and `localhost` into `localhost.ie1.localhost` under TWILIO_REGION=ie1). Rewriting the URL in the HTTP
 * client, after all of that, holds for any host.
 */
function redirectingHttpClient(apiUrl: string, timeout: number): twilio.RequestClient {
  const base = apiUrl.replace(/\/+$/, '');
  class Redirecting extends twilio.RequestClient {
    override request<TData>(opts: RequestOptions & { data?: TData }) {
      const original = new URL(opts.uri);
      return super.request<TData>({ ...opts, uri: `${base}${original.pathname}${original.search}` });
    }
  }
  return new Redirecting({ timeout });
}

export function createSmsSender(config: SmsSenderConfig): SmsSender {
  if (!config.messagingServiceSid && !config.from) {
    throw new Error('createSmsSender needs `messagingServiceSid` or `from`');
  }
  const timeout = config.timeoutMs ?? 10_000;
  const client = twilio(config.accountSid, config.authToken, {
    timeout,
    // Retries belong to the workflow, which knows whether a retry could send the message twice.
    autoRetry: false,
    ...(config.apiUrl ? { httpClient: redirectingHttpClient(config.apiUrl, timeout) } : {}),
  });
  const sender = config.messagingServiceSid
    ? { messagingServiceSid: config.messagingServiceSid }
    : { from: config.from };

  return {
    async send(message) {
      try {
        const created = await client.messages.create({
          to: message.to,
          body: message.body,
          ...sender,
          ...(message.statusCallback ? { statusCallback: message.statusCallback } : {}),
        });
        return {
          providerId: created.sid,
          status: created.status,
          segments: Number(created.numSegments) || 1,
        };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

function classify(error: unknown): Error {
  const { status, code, message } = error as { status?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const twilioCode = typeof code === 'number' ? code : undefined;
  if (typeof status !== 'number') {
    // No HTTP answer (refused, reset, timed out). A timeout may follow an accepted send: the caller's retry
    // policy decides whether a possible duplicate is acceptable.
    return new SmsTransientError(`Twilio unreachable: ${text}`, undefined, undefined, { cause: error });
  }
  if (twilioCode !== undefined && RECIPIENT_REJECTIONS.has(twilioCode))
    return new SmsRejected(twilioCode, text);
  if (status === 429 || status >= 500)
    return new SmsTransientError(`Twilio answered ${status}: ${text}`, status, twilioCode);
  return new SmsSendError(
    `Twilio refused the request (${status}${twilioCode ? `, ${twilioCode}` : ''}): ${text}`,
    status,
    twilioCode,
  );
}
