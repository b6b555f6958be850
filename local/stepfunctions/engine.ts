import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  checkExecutionArn,
  checkExecutionName,
  checkStateMachineArn,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  executionArn as buildExecutionArn,
} from './arns.ts';
import { prepareMachine, type PreparedMachine } from './definition.ts';
import { apiError, captureTimeoutErrorPrototype } from './errors.ts';
import { Execution, type ExecutionDeps } from './execution.ts';
import { TaskTokens } from './tokens.ts';
import type {
  ExecutionDescription,
  ExecutionListItem,
  ExecutionStatus,
  HistoryEvent,
  LocalLambdaHandler,
  PendingTask,
  StartExecutionInput,
  StateMachineDescription,
  StateMachineListItem,
  StateVisit,
  StepFunctionsOptions,
} from './types.ts';

export type HistoryListener = (executionArn: string, event: HistoryEvent) => void;

/** Standard workflows carry at most 256 KiB of input/output. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * The in-process Step Functions service behind the JSON API. Methods that mirror an API operation take and
 * return the SDK's shapes (camelCase, Date for timestamps) and are async; introspection helpers are sync.
 * Failures are SfnApiError whose `name` is the AWS error code.
 */
export class LocalEngine {
  readonly region: string;
  readonly accountId: string;
  readonly timeScale: number;
  private readonly machines = new Map<string, PreparedMachine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new TaskTokens();
  private readonly emitter = new EventEmitter();
  private readonly deps: ExecutionDeps;

  constructor(options: StepFunctionsOptions) {
    this.region = options.region ?? DEFAULT_REGION;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0))
      throw new Error(`timeScale must be a positive number, got ${options.timeScale}`);
    for (const machine of options.machines) {
      const prepared = prepareMachine(machine, this.region, this.accountId);
      if (this.machines.has(prepared.arn)) throw new Error(`State machine "${machine.name}" is given twice`);
      this.machines.set(prepared.arn, prepared);
    }
    const resolveLambda = (name: string): Promise<LocalLambdaHandler> => options.resolveLambda(name);
    this.deps = {
      tokens: this.tokens,
      timeScale: this.timeScale,
      region: this.region,
      accountId: this.accountId,
      resolveLambda,
      ...(options.invocationFault ? { invocationFault: options.invocationFault } : {}),
      emit: (arn, event) => this.emit(arn, event),
      startChild: (parent, input, linked) => {
        const child = this.start(input);
        if (linked && child.status === 'RUNNING') parent.children.add(child);
        return child;
      },
      find: (arn) => this.executions.get(arn),
    };
    this.emitter.setMaxListeners(0);
    // startStepFunctions awaits this; an engine built directly gets it within a few milliseconds.
    captureTimeoutErrorPrototype().catch((error: unknown) => console.error(error));
  }

  async listStateMachines(): Promise<StateMachineListItem[]> {
    return [...this.machines.values()].map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: 'STANDARD',
      creationDate: m.creationDate,
    }));
  }

  async describeStateMachine(input: { stateMachineArn: string }): Promise<StateMachineDescription> {
    const machine = this.machine(input.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      type: 'STANDARD',
      status: 'ACTIVE',
      creationDate: machine.creationDate,
      definition: JSON.stringify(machine.definition, null, 2),
      roleArn: `arn:aws:iam::${this.accountId}:role/local-stepfunctions`,
    };
  }

  async startExecution(input: StartExecutionInput): Promise<{ executionArn: string; startDate: Date }> {
    const execution = this.start(input);
    return { executionArn: execution.executionArn, startDate: execution.startDate };
  }

  async describeExecution(input: { executionArn: string }): Promise<ExecutionDescription> {
    return this.execution(input.executionArn).describe();
  }

  /** Newest first, like AWS. */
  async listExecutions(
    input: { stateMachineArn?: string; statusFilter?: ExecutionStatus } = {},
  ): Promise<ExecutionListItem[]> {
    if (input.stateMachineArn !== undefined) this.machine(input.stateMachineArn);
    return [...this.executions.values()]
      .reverse()
      .filter((e) => input.stateMachineArn === undefined || e.machine.arn === input.stateMachineArn)
      .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
      .map((e) => {
        const { executionArn, stateMachineArn, name, status, startDate, stopDate } = e.describe();
        return { executionArn, stateMachineArn, name, status, startDate, ...(stopDate ? { stopDate } : {}) };
      });
  }

  /** The whole history, oldest first. */
  async history(executionArn: string): Promise<HistoryEvent[]> {
    return [...this.execution(executionArn).history.events];
  }

  async sendTaskSuccess(input: { taskToken: string; output: string }): Promise<void> {
    if (typeof input.output === 'string' && Buffer.byteLength(input.output) > MAX_PAYLOAD_BYTES) {
      throw apiError('InvalidOutput', 'Invalid Output: larger than 256 KiB');
    }
    this.tokens.succeed(input.taskToken, input.output);
  }

  async sendTaskFailure(input: { taskToken: string; error?: string; cause?: string }): Promise<void> {
    this.tokens.fail(input.taskToken, input.error, input.cause);
  }

  async sendTaskHeartbeat(input: { taskToken: string }): Promise<void> {
    this.tokens.heartbeat(input.taskToken);
  }

  /** Stopping a closed execution changes nothing and answers its stop date. */
  async stopExecution(input: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: Date }> {
    const execution = this.execution(input.executionArn);
    execution.stop(input.error, input.cause);
    return { stopDate: execution.stopDate ?? new Date() };
  }

  /**
   * Resolves with the description once the execution's status is one of `statuses`; rejects with a message
   * saying where it is instead when it closes otherwise or `timeoutMs` passes.
   */
  async waitForStatus(
    executionArn: string,
    statuses: ExecutionStatus | ExecutionStatus[],
    timeoutMs: number,
  ): Promise<ExecutionDescription> {
    const wanted = [statuses].flat();
    const execution = this.execution(executionArn);
    const where = (): string => {
      const d = execution.describe();
      const last = execution.history.lastEvent();
      const named = last && (last.stateEnteredEventDetails ?? last.stateExitedEventDetails);
      const state = typeof named?.name === 'string' ? named.name : undefined;
      const failure = d.error || d.cause ? ` (${d.error ?? ''}: ${d.cause ?? ''})` : '';
      const lastText = last ? `; last event #${last.id} ${last.type}${state ? ` "${state}"` : ''}` : '';
      return `${d.status}${failure}${lastText}`;
    };
    const settle = (): ExecutionDescription => {
      if (wanted.includes(execution.status)) return execution.describe();
      throw new Error(`Execution "${execution.name}" closed as ${where()}, not ${wanted.join(' or ')}`);
    };
    if (wanted.includes(execution.status) || execution.status !== 'RUNNING') return settle();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Execution "${execution.name}" not ${wanted.join(' or ')} within ${timeoutMs} ms: ${where()}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([execution.finished, timedOut]);
      return settle();
    } finally {
      clearTimeout(timer);
    }
  }

  on(event: 'event', listener: HistoryListener): this {
    this.emitter.on(event, listener);
    return this;
  }

  off(event: 'event', listener: HistoryListener): this {
    this.emitter.off(event, listener);
    return this;
  }

  pendingTasks(executionArn?: string): PendingTask[] {
    return this.tokens.pending(executionArn);
  }

  visitedStates(executionArn: string): StateVisit[] {
    return this.execution(executionArn).history.visits.map((visit) => ({ ...visit }));
  }

  /** Stops every running execution (ABORTED); their waiting tasks settle at once. */
  async close(): Promise<void> {
    for (const execution of this.executions.values()) {
      execution.stop('States.Aborted', 'The local Step Functions service shut down');
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  private emit(executionArn: string, event: HistoryEvent): void {
    try {
      this.emitter.emit('event', executionArn, event);
    } catch (error) {
      // A listener's bug must not break the execution that produced the event.
      console.error('A Step Functions history listener threw:', error);
    }
  }

  private machine(arn: unknown): PreparedMachine {
    const machine = this.machines.get(checkStateMachineArn(arn));
    if (!machine)
      throw apiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    return machine;
  }

  private execution(arn: unknown): Execution {
    const execution = this.executions.get(checkExecutionArn(arn));
    if (!execution) throw apiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return execution;
  }

  private start(input: StartExecutionInput): Execution {
    const machine = this.machine(input.stateMachineArn);
    const name = checkExecutionName(input.name ?? randomUUID());
    const text = input.input ?? '{}';
    if (typeof text !== 'string' || Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      throw apiError(
        'InvalidExecutionInput',
        'Invalid State Machine Execution Input: not a string of at most 256 KiB',
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw apiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${text}' is not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw apiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: must be a JSON object');
    }
    const arn = buildExecutionArn(machine.name, name, this.region, this.accountId);
    const existing = this.executions.get(arn);
    if (existing) {
      // AWS: the same name and input while it still runs is the same start; anything else is a clash.
      if (existing.status === 'RUNNING' && existing.input === text) return existing;
      throw apiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = new Execution(arn, name, machine, text, this.deps);
    this.executions.set(arn, execution);
    execution.start();
    return execution;
  }
}
