import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from './logger.ts';
import { flushMetrics } from './metrics.ts';

/**
 * The one wrapper every handler is exported through: Powertools' Logger middleware adds the Lambda
 * context (request id, cold start, function name) to each line and, with `resetKeys`, drops the keys an
 * invocation appended when it ends, so a key from the previous incident never labels this one's lines;
 * the metrics the invocation recorded are flushed when it ends, thrown or not.
 *
 * middy's early time-out is off (0): a step that runs out of time is Lambda's to end, and the delivery
 * steps already stop starting sends before their deadline (services/delivery/deadline.ts). The wrapped
 * function keeps its own signature, which the contract tests read.
 */
export function lambdaHandler<F extends (...args: never[]) => Promise<unknown>>(handler: F): F {
  const inner = handler as unknown as (event: unknown) => Promise<unknown>;
  const wrapped = middy(inner, { timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({ after: flushMetrics, onError: flushMetrics });
  return wrapped as unknown as F;
}
