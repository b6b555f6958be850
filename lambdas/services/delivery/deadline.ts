import type { Context } from 'aws-lambda';
import type { DeliveryReport } from './exactly-once.ts';

/** Room after the last attempt starts: a claim, one provider call (≤ 10 s) and the record. */
const LAST_ATTEMPT_MS = 20_000;
/** When there is no Lambda context (a direct call), as if the function had this long. */
const WITHOUT_CONTEXT_MS = 120_000;

/** When to stop starting attempts, from the Lambda's remaining time. */
export function deadlineFor(context?: Pick<Context, 'getRemainingTimeInMillis'>): number {
  const remaining = context?.getRemainingTimeInMillis?.() ?? WITHOUT_CONTEXT_MS;
  return Date.now() + Math.max(5_000, remaining - LAST_ATTEMPT_MS);
}

/**
 * Some recipients are neither sent nor failed yet (a long Retry-After, a provider still failing). The
 * workflow retries the step on this error; the retry sends exactly what is still pending.
 */
export class DeliveryIncomplete extends Error {
  override readonly name = 'DeliveryIncomplete';
  constructor(
    report:
      (Pick<DeliveryReport, 'pending' | 'sent' | 'alreadySent' | 'failed'> & { recorded?: number }) | string,
  ) {
    super(
      typeof report === 'string'
        ? report
        : `${report.pending} recipient(s) still pending (sent ${report.sent + (report.recorded ?? 0)}, already sent ` +
            `${report.alreadySent}, failed ${report.failed}); retry the step to continue`,
    );
  }
}
