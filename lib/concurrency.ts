/**
 * Reserved concurrency for the front doors, so that nothing else in the account — a 500-account round
 * (up to 40 owners asked and delivered at once per group), a company broadcast's batches, or another
 * application — can take every execution and leave PagerDuty, Slack or Twilio answered with throttles.
 *
 * The front doors are reserved rather than the steps capped: a step that is throttled is retried by Step
 * Functions and only runs later, while a throttled front door loses the request (Slack and Twilio do not
 * retry; PagerDuty does, but a dropped acknowledgement blocks its queue). A reservation is also a ceiling:
 * each number is well above what its caller sends at once, including the front door's own asynchronous
 * follow-ups, which run in the same function. Twilio posts up to four receipts per SMS, so a 500-number
 * round arrives as a burst.
 *
 * Lambda keeps at least 100 executions unreserved per account and region, so these 70 need an account
 * concurrency limit of at least 170. The default is 1,000; new accounts can start far lower (10), and
 * there the deploy fails on this reservation. Ask for a higher limit, or deploy with
 * `-c reservedConcurrency=off`, which drops the reservations (README, "Deploying").
 */
import type { FunctionName } from '../lambdas/contract/functions.ts';

export const RESERVED_CONCURRENCY: Partial<Record<FunctionName, number>> = {
  'pagerduty-webhook': 10,
  'slack-interactions': 25,
  'slack-commands': 10,
  'twilio-status': 25,
};

/** The account-level floor Lambda keeps unreserved. */
export const UNRESERVED_MINIMUM = 100;
