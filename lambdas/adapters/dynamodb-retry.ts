import { sleep } from './sleep.ts';

/**
 * The one backoff for DynamoDB's "not now" on every batch path (docs/architecture.md, "DynamoDB and
 * dynalite"): a BatchWriteItem or BatchGetItem that leaves items unprocessed, and throttling that outlasted
 * the SDK's own retries. What is left is sent again after an exponential wait with full jitter (so many
 * writers backing off at once spread out), until nothing is left or the attempts run out; then a clear
 * error says what and how much was left. Resending is safe: the batch paths put and delete whole items
 * and read by key, and a throttled request took nothing.
 */
const BASE_MS = 50;
const CAP_MS = 2_000;
/** Attempts before giving up: about ten seconds of DynamoDB saying "not now", jitter aside. */
export const MAX_ATTEMPTS = 10;

/** Names DynamoDB (and the SDK) give throttling, once the SDK's retries are spent. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

export function isThrottling(error: unknown): boolean {
  return error instanceof Error && THROTTLING.has(error.name);
}

/** The wait before attempt `attempt + 1`: full jitter over an exponential ceiling. */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt);
}

export class DynamoDbBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoDbBusyError';
  }
}

/**
 * Sends `items` through `send`, which answers what DynamoDB did not process, and sends that again with
 * backoff until nothing is left; throws DynamoDbBusyError after MAX_ATTEMPTS.
 */
export async function untilAllProcessed<T>(
  what: string,
  items: readonly T[],
  send: (pending: T[]) => Promise<T[]>,
): Promise<void> {
  let pending = [...items];
  let throttled: string | undefined;
  for (let attempt = 1; pending.length > 0; attempt++) {
    try {
      pending = await send(pending);
      throttled = undefined;
    } catch (error) {
      if (!isThrottling(error)) throw error;
      throttled = (error as Error).name;
    }
    if (pending.length === 0) return;
    if (attempt >= MAX_ATTEMPTS) {
      throw new DynamoDbBusyError(
        `DynamoDB left ${pending.length} of ${items.length} ${what} unprocessed after ${attempt} attempts` +
          (throttled ? ` (${throttled})` : ''),
      );
    }
    await sleep(backoffMs(attempt));
  }
}

/** One request, sent again with the same backoff while DynamoDB throttles it. */
export async function unlessThrottled<T>(what: string, call: () => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  await untilAllProcessed(what, [call], async ([pending]) => {
    result = { value: await pending!() };
    return [];
  });
  return result!.value;
}
