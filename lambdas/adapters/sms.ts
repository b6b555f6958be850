import { ConfigurationError, optionalEnv } from './env.ts';
import { optionalSecret, secret } from './secrets.ts';

/**
 * The only code that talks to Twilio: its Programmable Messaging REST API (2010-04-01) over fetch. The
 * `twilio` package would add 3.8 MB to a bundle whose budget is 300 KB, for two calls (create a message,
 * list recent ones). Failures are sorted into what the caller must do next: give up on this recipient
 * (SmsRejected), try again later (SmsTransientError), or stop, because the request itself is wrong
 * (SmsSendError: credentials, sender, body).
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
  /** Where Twilio posts delivery status, unless a message names its own. */
  statusCallback?: string;
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
  /**
   * The SID of a message with exactly this body sent to `to` since `since`, if Twilio has one: how an
   * interrupted send is recognised instead of being sent again.
   */
  findSent(query: { to: string; body: string; since: string }): Promise<string | undefined>;
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

interface TwilioMessage {
  sid: string;
  status: string;
  body?: string;
  num_segments?: string;
  date_created?: string;
}

/** Clock skew allowed between us and Twilio when matching a message's creation time. */
const SKEW_MS = 60_000;

export function createSmsSender(config: SmsSenderConfig): SmsSender {
  if (!config.messagingServiceSid && !config.from) {
    throw new Error('createSmsSender needs `messagingServiceSid` or `from`');
  }
  const base = `${(config.apiUrl ?? 'https://api.twilio.com').replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  const timeoutMs = config.timeoutMs ?? 10_000;

  async function call(method: 'GET' | 'POST', path: string, form?: URLSearchParams): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: form.toString() } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // No HTTP answer (refused, reset, timed out). A timeout may follow an accepted send: findSent tells.
      const text = error instanceof Error ? `${error.message}${causeText(error)}` : String(error);
      throw new SmsTransientError(`Twilio unreachable: ${text}`, undefined, undefined, { cause: error });
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return body;
    throw classify(response.status, body);
  }

  return {
    async send(message) {
      const form = new URLSearchParams({ To: message.to, Body: message.body });
      if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
      else if (config.from) form.set('From', config.from);
      const callback = message.statusCallback ?? config.statusCallback;
      if (callback) form.set('StatusCallback', callback);
      const created = (await call('POST', '/Messages.json', form)) as TwilioMessage;
      return {
        providerId: created.sid,
        status: created.status,
        segments: Number(created.num_segments) || 1,
      };
    },
    async findSent({ to, body, since }) {
      const query = new URLSearchParams({ To: to, PageSize: '50' });
      const page = (await call('GET', `/Messages.json?${query.toString()}`)) as {
        messages?: TwilioMessage[];
      };
      const after = Date.parse(since) - SKEW_MS;
      const match = (page.messages ?? []).find(
        (m) => m.body === body && Date.parse(m.date_created ?? '') >= after,
      );
      return match?.sid;
    },
  };
}

function classify(status: number, body: Record<string, unknown>): Error {
  const code = typeof body.code === 'number' ? body.code : undefined;
  const text = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  if (code !== undefined && RECIPIENT_REJECTIONS.has(code)) return new SmsRejected(code, text);
  if (status === 429 || status >= 500)
    return new SmsTransientError(`Twilio answered ${status}: ${text}`, status, code);
  return new SmsSendError(
    `Twilio refused the request (${status}${code ? `, ${code}` : ''}): ${text}`,
    status,
    code,
  );
}

function causeText(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}

/**
 * The sender from configuration: credentials and sender from the Twilio secret (plain variables locally),
 * TWILIO_API_URL to point at another server, TWILIO_STATUS_CALLBACK_URL for delivery receipts.
 */
export async function smsSenderFromConfig(): Promise<SmsSender> {
  const [accountSid, authToken, messagingServiceSid, from] = await Promise.all([
    secret('TWILIO', 'TWILIO_ACCOUNT_SID'),
    secret('TWILIO', 'TWILIO_AUTH_TOKEN'),
    optionalSecret('TWILIO', 'TWILIO_MESSAGING_SERVICE_SID'),
    optionalSecret('TWILIO', 'TWILIO_FROM_NUMBER'),
  ]);
  if (!messagingServiceSid && !from) {
    throw new ConfigurationError(
      'No SMS sender: set TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER (or put them in the Twilio secret)',
    );
  }
  const apiUrl = optionalEnv('TWILIO_API_URL');
  const statusCallback = optionalEnv('TWILIO_STATUS_CALLBACK_URL');
  return createSmsSender({
    accountSid,
    authToken,
    ...(apiUrl ? { apiUrl } : {}),
    ...(messagingServiceSid ? { messagingServiceSid } : {}),
    ...(from ? { from } : {}),
    ...(statusCallback ? { statusCallback } : {}),
  });
}
