import { Logger } from '@aws-lambda-powertools/logger';

/** One logger for every handler. Never log message texts, addresses or tokens: ids only. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'incident-comms' });

/**
 * Labels the invocation's lines from here on (incident, round, route …). The keys last until the
 * invocation ends: lambdaHandler (adapters/lambda-handler.ts) resets them then, so they never label the
 * next invocation's lines in a warm Lambda.
 */
export function logContext(keys: Record<string, unknown>): void {
  logger.appendKeys(keys);
}
