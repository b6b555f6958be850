import { abortedError, statesTimeoutError, taskError } from './errors.ts';
import { invokeLambda, invokeResult } from './lambda.ts';
import type { TaskCall } from './tasks.ts';
import { setLongTimeout } from './timing.ts';
import type { CallbackOutcome } from './tokens.ts';
import type { PendingTask } from './types.ts';

/** Replaces the run's static `$$.Task.Token` marker, wherever it appears in a string, with the real token. */
function withToken(value: unknown, marker: string, token: string): unknown {
  if (typeof value === 'string') return value.replaceAll(marker, token);
  if (Array.isArray(value)) return value.map((item) => withToken(item, marker, token));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, marker, token)]));
  }
  return value;
}

type Invoked = { ok: true; value: unknown } | { ok: false; error: Error };

/**
 * A .waitForTaskToken task: mint a fresh token, register it, only then invoke the Lambda (which may answer
 * before it even returns), and wait for SendTaskSuccess/Failure, the (scaled) timeout or heartbeat timeout,
 * or the execution stopping. The first outcome wins; the token then answers TaskTimedOut.
 */
export async function runCallbackTask(call: TaskCall): Promise<unknown> {
  const { host, spec, signal, events } = call;
  const token = host.tokens.mint();
  const params = withToken(call.params, host.tokenMarker, token) as Record<string, unknown>;
  const timeoutSeconds = call.timeoutSeconds;
  const heartbeatSeconds = call.heartbeatSeconds;
  events.scheduled(params, timeoutSeconds, heartbeatSeconds);

  const outcome = Promise.withResolvers<CallbackOutcome>();
  const timeoutMs = timeoutSeconds === undefined ? undefined : (timeoutSeconds * 1000) / host.timeScale;
  const startedAt = new Date();
  let cancelTimeout = (): void => {};
  let cancelHeartbeat = (): void => {};
  let settled = false;
  const onAbort = (): void => settle({ kind: 'aborted' });
  function settle(result: CallbackOutcome): void {
    if (settled) return;
    settled = true;
    cancelTimeout();
    cancelHeartbeat();
    signal.removeEventListener('abort', onAbort);
    host.tokens.finish(token);
    outcome.resolve(result);
  }
  const armHeartbeat = (): void => {
    cancelHeartbeat();
    if (heartbeatSeconds !== undefined && !settled) {
      cancelHeartbeat = setLongTimeout(
        () => settle({ kind: 'heartbeatTimeout' }),
        (heartbeatSeconds * 1000) / host.timeScale,
      );
    }
  };
  if (timeoutMs !== undefined) cancelTimeout = setLongTimeout(() => settle({ kind: 'timeout' }), timeoutMs);
  armHeartbeat();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) settle({ kind: 'aborted' });
  const pending: PendingTask = {
    taskToken: token,
    executionArn: host.executionArn,
    stateName: spec.stateName,
    startedAt,
    parameters: params,
  };
  if (timeoutMs !== undefined) pending.timeoutAt = new Date(startedAt.getTime() + timeoutMs);
  if (!settled) host.tokens.register(pending, settle, armHeartbeat);
  events.started();

  if (spec.invokesLambda) {
    const invoked: Promise<Invoked> = invokeLambda(
      host,
      String(params.FunctionName),
      params.Payload ?? {},
      undefined,
      host.timeScale,
    ).then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({ ok: false, error: error as Error }),
    );
    const first = await Promise.race([invoked, outcome.promise]);
    if ('ok' in first) {
      if (first.ok) events.submitted(invokeResult(first.value));
      else settle({ kind: 'failure', error: first.error.name, cause: first.error.message });
    } else if (first.kind === 'success' || first.kind === 'failure') {
      // Answered while the Lambda was still running (it called SendTaskSuccess itself): it returns next.
      const late = await invoked;
      if (late.ok) events.submitted(invokeResult(late.value));
    }
  } else {
    events.submitted(undefined);
  }

  const result = await outcome.promise;
  switch (result.kind) {
    case 'success':
      events.succeeded(result.output);
      return result.output;
    case 'failure':
      events.failed(result.error, result.cause);
      throw taskError(result.error, result.cause);
    case 'timeout': {
      const cause = `No SendTaskSuccess/SendTaskFailure within ${timeoutSeconds} s`;
      events.timedOut('States.Timeout', cause);
      throw statesTimeoutError(cause);
    }
    case 'heartbeatTimeout': {
      const cause = `No SendTaskHeartbeat within ${heartbeatSeconds} s`;
      events.timedOut('States.HeartbeatTimeout', cause);
      throw taskError('States.HeartbeatTimeout', cause);
    }
    case 'aborted':
      throw abortedError();
  }
}
