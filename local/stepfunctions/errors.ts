import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/** An error the JSON API answers with HTTP 400 and `{ "__type": name, "message": message }`. */
export class SfnApiError extends Error {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

export const apiError = (code: string, message: string): SfnApiError => new SfnApiError(code, message);

/**
 * A task failure as the interpreter sees it: Catch/Retry match `name`, and the Catch output's `Cause`
 * is `message`.
 */
export function taskError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/** A failure no Retry or Catch may handle (States.Runtime, or unwinding an aborted execution). */
export function fatalError(name: string, cause: string): Error {
  return Object.assign(taskError(name, cause), { isRetryable: false, isCatchable: false });
}

/** The error an aborted execution's in-flight tasks unwind with; nothing records it. */
export const abortedError = (): Error => fatalError('States.Aborted', 'The execution was stopped');

let timeoutErrorPrototype: object | undefined;

/**
 * The interpreter treats `States.TaskFailed` as matching every task error except its own (unexported)
 * timeout class, checked with `instanceof`. Timeouts this runtime enforces itself must be instances of that
 * class, or a `States.TaskFailed` catcher would wrongly catch them; so capture it once from a 1 ms timeout.
 */
export async function captureTimeoutErrorPrototype(): Promise<void> {
  if (timeoutErrorPrototype) return;
  const probe: StateMachineDefinition = {
    StartAt: 'Probe',
    States: {
      Probe: { Type: 'Task', Resource: 'arn:aws:states:::local:probe', TimeoutSeconds: 0.001, End: true },
    },
  };
  const run = new StateMachine(probe, { validationOptions: { noValidate: true } }).run(
    {},
    {
      overrides: {
        taskResourceLocalHandlers: { Probe: () => new Promise((r) => setTimeout(() => r(null), 50)) },
      },
    },
  );
  try {
    await run.result;
  } catch (error) {
    const cause = error instanceof ExecutionError ? (error.cause as Error | undefined) : undefined;
    if (cause?.name === 'States.Timeout') {
      timeoutErrorPrototype = Object.getPrototypeOf(cause) as object;
      return;
    }
  }
  throw new Error('aws-local-stepfunctions did not raise States.Timeout for a timed-out task');
}

/** A States.Timeout error the interpreter recognises as its own (see captureTimeoutErrorPrototype). */
export function statesTimeoutError(cause: string): Error {
  const error = taskError('States.Timeout', cause);
  if (timeoutErrorPrototype) Object.setPrototypeOf(error, timeoutErrorPrototype);
  error.name = 'States.Timeout';
  return error;
}
