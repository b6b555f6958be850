import { randomUUID } from 'node:crypto';
import { ExecutionError, StateMachine, type RunOptions } from 'aws-local-stepfunctions';
import type { PreparedMachine, TaskSpec } from './definition.ts';
import { ExecutionHistory, MAX_HISTORY_EVENTS, type InterpreterEvent } from './history.ts';
import type { LambdaTarget } from './lambda.ts';
import { createOverrides, type TaskHost } from './tasks.ts';
import { setLongTimeout } from './timing.ts';
import type { TaskTokens } from './tokens.ts';
import type { ExecutionDescription, ExecutionStatus, HistoryEvent, StartExecutionInput } from './types.ts';

/** What the engine lends each execution. */
export interface ExecutionDeps extends LambdaTarget {
  tokens: TaskTokens;
  timeScale: number;
  emit(executionArn: string, event: HistoryEvent): void;
  /** Starts an execution; a linked one (startExecution.sync) is stopped when its parent closes. */
  startChild(parent: Execution, input: StartExecutionInput, linked: boolean): Execution;
  find(executionArn: string): Execution | undefined;
}

type Overrides = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

// The interpreter's defaults when a Fail state names no Error/Cause; AWS reports none then.
const FAIL_STATE_DEFAULT_ERROR = 'FailStateError';
const FAIL_STATE_DEFAULT_CAUSE = 'Execution failed because of a Fail state';

/** One execution: runs the interpreter with every task overridden and keeps its status and history. */
export class Execution {
  status: ExecutionStatus = 'RUNNING';
  readonly startDate = new Date();
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: ExecutionHistory;
  readonly children = new Set<Execution>();
  private readonly controller = new AbortController();
  /** Map/Parallel states whose failure must cancel the tasks still waiting inside them. */
  private readonly scopes = new Map<string, AbortController>();
  private readonly closed = Promise.withResolvers<void>();
  private abortRun = (): void => {};
  private cancelTimeout = (): void => {};

  constructor(
    readonly executionArn: string,
    readonly name: string,
    readonly machine: PreparedMachine,
    readonly input: string,
    private readonly deps: ExecutionDeps,
  ) {
    this.history = new ExecutionHistory(
      machine,
      (event) => deps.emit(executionArn, event),
      () =>
        this.close('FAILED', {
          error: 'States.Runtime',
          cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
        }),
    );
  }

  /** Resolves once the execution has closed, whatever its status. */
  get finished(): Promise<void> {
    return this.closed.promise;
  }

  describe(): ExecutionDescription {
    const description: ExecutionDescription = {
      executionArn: this.executionArn,
      stateMachineArn: this.machine.arn,
      name: this.name,
      status: this.status,
      startDate: this.startDate,
      input: this.input,
      inputDetails: { included: true },
    };
    if (this.stopDate) description.stopDate = this.stopDate;
    if (this.output !== undefined)
      Object.assign(description, { output: this.output, outputDetails: { included: true } });
    if (this.error) description.error = this.error;
    if (this.cause) description.cause = this.cause;
    return description;
  }

  start(): void {
    const { accountId } = this.deps;
    const roleArn = `arn:aws:iam::${accountId}:role/local-stepfunctions`;
    this.history.append('ExecutionStarted', {
      input: this.input,
      inputDetails: { truncated: false },
      roleArn,
    });
    const tokenMarker = `LocalTaskTokenMarker-${randomUUID()}`;
    const overrides = createOverrides(this.taskHost(tokenMarker)) as unknown as Overrides;
    const run = new StateMachine(this.machine.runnable, { validationOptions: { noValidate: true } }).run(
      JSON.parse(this.input) as Record<string, never>,
      {
        overrides: { taskResourceLocalHandlers: overrides },
        noThrowOnAbort: true,
        context: {
          Execution: {
            Id: this.executionArn,
            Name: this.name,
            RoleArn: roleArn,
            RedriveCount: 0,
            // What the execution started with, as AWS gives it (`$$.Execution.Input`).
            Input: JSON.parse(this.input) as Record<string, never>,
            StartTime: this.startDate.toISOString(),
          },
          StateMachine: { Id: this.machine.arn, Name: this.machine.name },
          Task: { Token: tokenMarker },
        },
      },
    );
    this.abortRun = run.abort;
    if (this.machine.timeoutSeconds !== undefined) {
      const seconds = this.machine.timeoutSeconds;
      this.cancelTimeout = setLongTimeout(
        () =>
          this.close('TIMED_OUT', {
            error: 'States.Timeout',
            cause: `The execution ran longer than ${seconds} s`,
          }),
        seconds * 1000,
      );
    }
    const consumed = this.consume(run.eventLogs as AsyncIterable<InterpreterEvent>);
    run.result.then(
      async (output) => {
        await consumed;
        this.close('SUCCEEDED', { output: JSON.stringify(output ?? null) });
      },
      async (error: unknown) => {
        await consumed;
        const failure = (error instanceof ExecutionError ? error.cause : error) as Error;
        const details: { error?: string; cause?: string } = {};
        if (failure.name !== FAIL_STATE_DEFAULT_ERROR) details.error = failure.name;
        if (failure.message !== FAIL_STATE_DEFAULT_CAUSE) details.cause = failure.message;
        this.close('FAILED', details);
      },
    );
  }

  private async consume(events: AsyncIterable<InterpreterEvent>): Promise<void> {
    for await (const event of events) {
      this.history.record(event);
      const type = event.state && this.machine.stateTypes.get(event.state.name);
      if (event.type === 'StateFailed' && (type === 'Map' || type === 'Parallel') && event.state) {
        // The interpreter abandons the other iterations/branches; their waiting tasks must stop too.
        this.scopes.get(event.state.name)?.abort();
        this.scopes.delete(event.state.name);
      }
    }
  }

  /** The execution's signal, plus those of enclosing Maps/Parallels that run once at a time (not in a Map). */
  private signalFor(spec: TaskSpec): AbortSignal {
    const signals = [this.controller.signal];
    for (const scope of spec.scopes) {
      let controller = this.scopes.get(scope);
      if (!controller) this.scopes.set(scope, (controller = new AbortController()));
      signals.push(controller.signal);
      if (this.machine.stateTypes.get(scope) === 'Map') break;
    }
    return signals.length === 1 ? this.controller.signal : AbortSignal.any(signals);
  }

  private taskHost(tokenMarker: string): TaskHost {
    const deps = this.deps;
    return {
      executionArn: this.executionArn,
      machine: this.machine,
      history: this.history,
      tokens: deps.tokens,
      tokenMarker,
      timeScale: deps.timeScale,
      region: deps.region,
      accountId: deps.accountId,
      resolveLambda: deps.resolveLambda,
      ...(deps.invocationFault ? { invocationFault: deps.invocationFault } : {}),
      signalFor: (spec) => this.signalFor(spec),
      startChild: (input, linked) => {
        const child = deps.startChild(this, input, linked);
        return { executionArn: child.executionArn, startDate: child.startDate };
      },
      awaitChild: async (arn) => {
        const child = deps.find(arn);
        if (!child) throw new Error(`No execution ${arn}`);
        await child.finished;
        return child.describe();
      },
      stopChild: (arn, cause) => deps.find(arn)?.stop('States.Aborted', cause),
    };
  }

  /** StopExecution: ABORTED, with the caller's error/cause. Returns false when it had already closed. */
  stop(error?: string, cause?: string): boolean {
    const details: { error?: string; cause?: string } = {};
    if (error) details.error = error;
    if (cause) details.cause = cause;
    return this.close('ABORTED', details);
  }

  private close(
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    details: { output?: string; error?: string; cause?: string },
  ): boolean {
    if (this.status !== 'RUNNING') return false;
    this.status = status;
    this.stopDate = new Date();
    Object.assign(this, details);
    this.cancelTimeout();
    if (status === 'ABORTED' || status === 'TIMED_OUT') this.history.abortOpenStates();
    if (status === 'FAILED') this.history.failOpenStates();
    const eventType = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      ABORTED: 'ExecutionAborted',
      TIMED_OUT: 'ExecutionTimedOut',
    }[status];
    const eventDetails =
      status === 'SUCCEEDED'
        ? { output: details.output, outputDetails: { truncated: false } }
        : { ...details };
    this.history.append(eventType, eventDetails, true);
    // Settles every task still waiting (callbacks, timers, child waits), then lets the interpreter unwind.
    this.controller.abort();
    this.abortRun();
    for (const child of this.children) {
      child.stop('States.Aborted', `The parent execution ${this.executionArn} closed as ${status}`);
    }
    this.closed.resolve();
    return true;
  }
}
