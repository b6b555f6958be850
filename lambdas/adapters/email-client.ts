import { SESClient } from '@aws-sdk/client-ses';

/**
 * Module-scope client (see dynamodb.ts); AWS_ENDPOINT_URL_SES points it at the local SES.
 *
 * One attempt per call: SendEmail has no idempotency key, and the SDK's own retries include timeouts and
 * dropped connections, after which SES may already have accepted the message. The delivery code retries
 * what is certainly unsent (throttling, 5xx) itself and never resends an email it cannot account for.
 */
export const ses = new SESClient({ maxAttempts: 1 });
