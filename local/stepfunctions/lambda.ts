import { randomUUID } from 'node:crypto';
import { lambdaFunctionArn, lambdaFunctionName } from './arns.ts';
import { taskError } from './errors.ts';
import type { LambdaLikeContext, LocalLambdaHandler } from './types.ts';

/** Lambda's own ceiling; used for getRemainingTimeInMillis when the task sets no tighter bound. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

export interface LambdaTarget {
  resolveLambda: (functionNameOrArn: string) => Promise<LocalLambdaHandler>;
  region: string;
  accountId: string;
}

export function lambdaContext(
  functionNameOrArn: string,
  target: LambdaTarget,
  timeoutSeconds: number | undefined,
): LambdaLikeContext {
  const functionName = lambdaFunctionName(functionNameOrArn);
  const deadline =
    Date.now() + Math.min(timeoutSeconds ?? LAMBDA_MAX_TIMEOUT_SECONDS, LAMBDA_MAX_TIMEOUT_SECONDS) * 1000;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const noop = (): void => {};
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: lambdaFunctionArn(functionNameOrArn, target.region, target.accountId),
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: noop,
    fail: noop,
    succeed: noop,
  };
}

/** What a Lambda returns to Step Functions: JSON only (undefined becomes null, like the Lambda runtime). */
const asJson = (value: unknown): unknown =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);

/**
 * Runs the handler in-process. A thrown error fails the task the way AWS reports a function error:
 * Error = the error's name (what Catch/Retry match), Cause = `{ errorType, errorMessage, trace }` as JSON.
 */
export async function invokeLambda(
  target: LambdaTarget,
  functionNameOrArn: string,
  payload: unknown,
  timeoutSeconds: number | undefined,
): Promise<unknown> {
  let handler: LocalLambdaHandler;
  try {
    handler = await target.resolveLambda(functionNameOrArn);
  } catch (error) {
    throw taskError(
      'Lambda.ResourceNotFoundException',
      `Function not found: ${functionNameOrArn} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  try {
    const context = lambdaContext(functionNameOrArn, target, timeoutSeconds);
    return asJson(await handler(asJson(payload), context));
  } catch (error) {
    const errorType = error instanceof Error ? error.name : 'Error';
    const errorMessage = error instanceof Error ? error.message : String(error);
    const trace = error instanceof Error ? (error.stack ?? '').split('\n') : [];
    throw taskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
  }
}

/** The optimized lambda:invoke integration's result. */
export function invokeResult(payload: unknown): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      HttpHeaders: {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
