import { asJson } from '../json.ts';
import { randomUUID } from 'node:crypto';
import { lambdaFunctionArn, lambdaFunctionName } from './arns.ts';
import { taskError } from './errors.ts';
import type { InvocationFault, LambdaLikeContext, LocalLambdaHandler } from './types.ts';

/** Lambda's own ceiling; used for getRemainingTimeInMillis when the task sets no tighter bound. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

export interface LambdaTarget {
  resolveLambda: (functionNameOrArn: string) => Promise<LocalLambdaHandler>;
  region: string;
  accountId: string;
  invocationFault?: (functionName: string) => InvocationFault | undefined;
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
/** A function error as Step Functions reports it: Error = errorType, Cause = the error object as JSON. */
function functionError(errorType: string, errorMessage: string, trace?: string[]): Error {
  return taskError(errorType, JSON.stringify({ errorType, errorMessage, ...(trace ? { trace } : {}) }));
}

/** How a handler's own throw reaches the task: its class name is the error (what Catch/Retry match). */
function handlerError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error ? (error.stack ?? '').split('\n') : [];
  return functionError(errorType, errorMessage, trace);
}

/** The task's TimeoutSeconds passed before an (overrunning) invocation answered: the task times out. */
export class TaskDeadlinePassed extends Error {
  constructor(readonly timeoutSeconds: number) {
    super(`The task did not finish within ${timeoutSeconds} s`);
    this.name = 'TaskDeadlinePassed';
  }
}

const delay = (ms: number): Promise<void> =>
  // unref: an overrun left behind by a stopped execution must not keep the process alive.
  new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * An invocation that overruns (see InvocationFault): the handler's work happens, then whichever deadline
 * is first decides what the task sees. Lambda stops a function at its own timeout and reports
 * `Sandbox.Timedout` (older runtimes: `Lambda.Unknown`), which `States.TaskFailed` matches; a task whose
 * TimeoutSeconds is not above the function's times out with `States.Timeout` and the function runs on.
 */
async function overrun(
  run: Promise<unknown>,
  fault: Extract<InvocationFault, { kind: 'overrun' }>,
  taskTimeoutSeconds: number | undefined,
  timeScale: number,
): Promise<never> {
  const { functionTimeoutSeconds } = fault;
  const settled = run.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (taskTimeoutSeconds !== undefined && taskTimeoutSeconds <= functionTimeoutSeconds) {
    await delay((taskTimeoutSeconds * 1000) / timeScale);
    throw new TaskDeadlinePassed(taskTimeoutSeconds);
  }
  const [thrown] = await Promise.all([settled, delay((functionTimeoutSeconds * 1000) / timeScale)]);
  // A handler that failed on its own failed before it could overrun.
  if (thrown !== undefined) throw handlerError(thrown);
  throw functionError(
    'Sandbox.Timedout',
    `RequestId: ${randomUUID()} Error: Task timed out after ${functionTimeoutSeconds.toFixed(2)} seconds` +
      (fault.note ? ` ${fault.note}` : ''),
  );
}

/**
 * Runs the handler in-process. A thrown error fails the task the way AWS reports a function error:
 * Error = the error's name (what Catch/Retry match), Cause = `{ errorType, errorMessage, trace }` as JSON.
 * `timeScale` only shortens the overrun of an injected fault; a handler's real run is never cut short.
 */
export async function invokeLambda(
  target: LambdaTarget,
  functionNameOrArn: string,
  payload: unknown,
  timeoutSeconds: number | undefined,
  timeScale = 1,
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
  const fault = target.invocationFault?.(lambdaFunctionName(functionNameOrArn));
  if (fault?.kind === 'fail-before') throw functionError(fault.errorType, fault.errorMessage);
  const context = lambdaContext(functionNameOrArn, target, timeoutSeconds);
  const run = (async () => asJson(await handler(asJson(payload), context)))();
  if (fault?.kind === 'overrun') return overrun(run, fault, timeoutSeconds, timeScale);
  let result: unknown;
  try {
    result = await run;
  } catch (error) {
    throw handlerError(error);
  }
  if (fault?.kind === 'fail-after') throw functionError(fault.errorType, fault.errorMessage);
  return result;
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
