/** Public types of the embedded Step Functions service (re-exported by index.ts). */

/** Structurally compatible with `Context` from @types/aws-lambda, so real handlers accept it. */
export interface LambdaLikeContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  /** @deprecated kept for type compatibility with the Lambda Context; a no-op here. */
  done(error?: Error, result?: unknown): void;
  /** @deprecated kept for type compatibility with the Lambda Context; a no-op here. */
  fail(error: Error | string): void;
  /** @deprecated kept for type compatibility with the Lambda Context; a no-op here. */
  succeed(messageOrObject: unknown, object?: unknown): void;
}

/**
 * A Lambda handler run in-process. Declared with method syntax so its parameters are checked bivariantly:
 * a handler written as `async (event: MyEvent, context: Context) => …` (aws-lambda types) fits as it is.
 */
export type LocalLambdaHandler = {
  handler(event: unknown, context: LambdaLikeContext): Promise<unknown>;
}['handler'];

/** A state machine to serve; `${…}` placeholders already substituted. */
export interface LocalStateMachine {
  name: string;
  definition: Record<string, unknown>;
}

/**
 * A fault the local runtime injects into one Lambda invocation a task makes (LAMBDA_FAULTS), reported to
 * the task the way AWS reports the real thing.
 */
export type InvocationFault =
  /** The function fails before its handler runs: nothing the handler would do happened. */
  | { kind: 'fail-before'; errorType: string; errorMessage: string }
  /** The handler runs to its end (its side effects happen), then the function fails: its result is lost. */
  | { kind: 'fail-after'; errorType: string; errorMessage: string }
  /**
   * The handler runs, then the invocation overruns until the first deadline: the function's own timeout
   * (Lambda stops it; the task gets the function error `Sandbox.Timedout`) or the task's TimeoutSeconds
   * (`States.Timeout`, while the function runs on). The overrun lasts that deadline divided by timeScale.
   */
  | { kind: 'overrun'; functionTimeoutSeconds: number; note?: string };

export interface StepFunctionsOptions {
  machines: LocalStateMachine[];
  /** Called with the FunctionName of a lambda:invoke task (an ARN or a name); returns the handler to run in-process. */
  resolveLambda: (functionNameOrArn: string) => Promise<LocalLambdaHandler>;
  /**
   * Asked once per Lambda invocation a task makes (lambda:invoke, a bare Lambda ARN, or the invoke of a
   * .waitForTaskToken task), with the function's name; undefined runs it as it is.
   */
  invocationFault?: (functionName: string) => InvocationFault | undefined;
  /**
   * Divides human-scale durations: Wait states and the timeouts (and heartbeats) of .waitForTaskToken tasks.
   * Default 1. Lambda task timeouts, startExecution.sync timeouts and the machine's own TimeoutSeconds are
   * compute/workflow bounds and are NOT scaled.
   */
  timeScale?: number;
  region?: string;
  accountId?: string;
  port?: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export type StateType = 'Task' | 'Parallel' | 'Map' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail';

/** How the local runtime serves a Task (or a Wait, which it runs as a scaled timer). */
export type TaskKind =
  | 'lambda' // arn:aws:states:::lambda:invoke
  | 'lambdaArn' // a bare Lambda function ARN as Resource
  | 'callback' // any *.waitForTaskToken
  | 'startExecutionSync' // states:startExecution.sync:2 or .sync
  | 'startExecution' // states:startExecution (fire and forget)
  | 'wait'; // a Wait state

/** One entry of a history; the same shape (field names) as the AWS SDK's HistoryEvent. */
export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: `${string}EventDetails`]: Record<string, unknown> | undefined;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  inputDetails: { included: boolean };
  output?: string;
  outputDetails?: { included: boolean };
  error?: string;
  cause?: string;
}

export type ExecutionListItem = Pick<
  ExecutionDescription,
  'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'stopDate'
>;

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD';
  creationDate: Date;
}

export interface StateMachineDescription extends StateMachineListItem {
  status: 'ACTIVE';
  definition: string;
  roleArn: string;
}

/** A task waiting for SendTaskSuccess/Failure (a .waitForTaskToken task). */
export interface PendingTask {
  taskToken: string;
  executionArn: string;
  stateName: string;
  startedAt: Date;
  /** When the (scaled) TimeoutSeconds expires; absent when the task has no timeout. */
  timeoutAt?: Date;
  /** The task's processed Parameters with the token in place (e.g. { FunctionName, Payload }). */
  parameters: unknown;
}

/** One visit of a state, in entry order (Map iterations included), for modelling AWS's history size. */
export interface StateVisit {
  name: string;
  type: StateType;
  resource?: string;
  taskKind?: TaskKind;
  /** Retry attempts made in this visit (each adds scheduled/started/outcome events in AWS). */
  retries: number;
  /** Index of the Map iteration this visit ran in, when inside a Map. */
  mapIndex?: number;
  /** For a Map state: iterations started. */
  iterations?: number;
  /** For a Parallel state: branches started. */
  branches?: number;
  outcome: 'running' | 'succeeded' | 'failed' | 'caught' | 'aborted';
  error?: string;
  enteredAt: Date;
  exitedAt?: Date;
}

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  input?: string;
}
