import { Logger } from '@aws-lambda-powertools/logger';

/** One logger for every handler. Never log message texts, addresses or tokens: ids only. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'incident-comms' });

/**
 * Starts an invocation's log context. Appended keys outlive the invocation in a warm Lambda, so they are
 * reset first: a key from the previous incident must never label this one's lines.
 */
export function logContext(keys: Record<string, unknown>): void {
  logger.resetKeys();
  logger.appendKeys(keys);
}
