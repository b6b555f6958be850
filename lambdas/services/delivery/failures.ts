import { SmsRejected, SmsSendError, SmsTransientError } from '../../adapters/sms.ts';
import { slackErrorCode } from '../../adapters/slack-errors.ts';

/**
 * What a failed send means for the next attempt:
 * - permanent: the provider refused this recipient or our request; retrying cannot help (record it, tell the CMOC);
 * - retry: the provider certainly did not deliver it (429, throttling, a refusal before accepting); send again;
 * - ambiguous: it may have been delivered (timeout, connection reset, 5xx after the request reached the
 *   provider); look for it at the provider before sending again.
 */
export type FailureKind = 'permanent' | 'retry' | 'ambiguous';

/** Recorded when an interrupted send may have arrived and the provider cannot be asked: the CMOC decides. */
export const unconfirmed = (provider: string): string =>
  `unconfirmed: an earlier attempt was interrupted and ${provider} cannot say whether it arrived; not resent`;

export class SendFailure extends Error {
  override readonly name = 'SendFailure';
  constructor(
    readonly kind: FailureKind,
    /** Short, for the log and the CMOC: "slack: channel_not_found", "ses: Throttling". */
    readonly reason: string,
    /** The provider's own wait (Retry-After), when it gave one. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(reason, options);
  }
}

/** Slack answers these with ok:false after doing nothing, but a retry later may succeed. */
const SLACK_TRY_AGAIN = new Set(['ratelimited', 'rate_limited', 'service_unavailable', 'team_added_to_org']);
/** Slack's own failures: it may or may not have posted before failing. */
const SLACK_UNSURE = new Set(['internal_error', 'fatal_error', 'request_timeout']);

interface SlackLikeError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

/** Missing configuration (a secret, the sending address) is fixed by a person, not by retrying. */
function known(error: unknown, provider: string): SendFailure | undefined {
  if (error instanceof SendFailure) return error;
  if (error instanceof Error && error.name === 'ConfigurationError')
    return new SendFailure('permanent', `${provider}: ${error.message}`.slice(0, 200), undefined, {
      cause: error,
    });
  return undefined;
}

export function classifySlack(error: unknown): SendFailure {
  const early = known(error, 'slack');
  if (early) return early;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SlackLikeError;
  const options = { cause: error };
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new SendFailure('retry', 'slack: ratelimited', (e.retryAfter ?? 1) * 1000, options);
    case 'slack_webapi_platform_error': {
      const code = slackErrorCode(error) ?? 'unknown_error';
      if (SLACK_TRY_AGAIN.has(code)) return new SendFailure('retry', `slack: ${code}`, undefined, options);
      if (SLACK_UNSURE.has(code)) return new SendFailure('ambiguous', `slack: ${code}`, undefined, options);
      return new SendFailure('permanent', `slack: ${code}`, undefined, options);
    }
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      if (status >= 500) return new SendFailure('ambiguous', `slack: HTTP ${status}`, undefined, options);
      return new SendFailure('permanent', `slack: HTTP ${status}`, undefined, options);
    }
    default:
      // No answer (timeout, reset) or something unforeseen: the post may exist.
      return new SendFailure(
        'ambiguous',
        `slack: ${e.message ?? String(error)}`.slice(0, 200),
        undefined,
        options,
      );
  }
}

const SES_THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

interface AwsLikeError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function classifySes(error: unknown): SendFailure {
  const early = known(error, 'ses');
  if (early) return early;
  const e = (typeof error === 'object' && error !== null ? error : {}) as AwsLikeError;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? 'Error';
  const reason = `ses: ${name}${e.message && e.message !== name ? ` (${e.message})` : ''}`.slice(0, 200);
  const options = { cause: error };
  if (SES_THROTTLED.has(name) || status === 429) return new SendFailure('retry', reason, undefined, options);
  // SES answers 5xx before it accepts a message (AWS's SDKs retry these by default): not sent.
  if (status !== undefined && status >= 500) return new SendFailure('retry', reason, undefined, options);
  // MessageRejected, MailFromDomainNotVerified, AccountSendingPaused, a bad configuration set…
  if (status !== undefined) return new SendFailure('permanent', reason, undefined, options);
  // No answer: SES may have accepted it.
  return new SendFailure('ambiguous', reason, undefined, options);
}

export function classifySms(error: unknown): SendFailure {
  const early = known(error, 'twilio');
  if (early) return early;
  const options = { cause: error };
  if (error instanceof SmsRejected)
    return new SendFailure(
      'permanent',
      `twilio ${error.code}: ${error.message}`.slice(0, 200),
      undefined,
      options,
    );
  if (error instanceof SmsSendError)
    return new SendFailure('permanent', error.message.slice(0, 200), undefined, options);
  if (error instanceof SmsTransientError) {
    // 429: refused before creating the message. 5xx or no answer: it may exist; Twilio can be asked.
    const kind = error.status === 429 ? 'retry' : 'ambiguous';
    return new SendFailure(kind, error.message.slice(0, 200), undefined, options);
  }
  return new SendFailure('ambiguous', `twilio: ${String(error)}`.slice(0, 200), undefined, options);
}
