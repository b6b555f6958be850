import { asJson } from './json.ts';
import { parentPort } from 'node:worker_threads';
import { handlerFor } from './handlers.ts';
import { warmClients } from './warm-clients.ts';
import type { LambdaLikeContext } from './stepfunctions/types.ts';
import type { FromWorker, ToWorker } from './lambda-workers.ts';

/**
 * One worker thread of the local runtime's Lambda pool (lambda-workers.ts): it imports the same handler
 * modules with the same environment (a copy of the runtime's, taken when the thread started) and runs
 * the invocations the main thread hands it, many at once, as a warm Lambda's instances would side by side.
 */
const port = parentPort;
if (!port) throw new Error('local/lambda-worker.ts runs only as a worker thread (local/lambda-workers.ts)');

const noop = (): void => {};

function contextOf(message: Extract<ToWorker, { kind: 'invoke' }>): LambdaLikeContext {
  const deadline = Date.now() + message.context.remainingMs;
  return {
    ...message.context.fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: noop,
    fail: noop,
    succeed: noop,
  };
}

async function answer(message: ToWorker): Promise<FromWorker> {
  try {
    if (message.kind === 'warm') {
      await Promise.all(message.functions.map((name) => handlerFor(name)));
      await warmClients({ slackStandIn: message.slackStandIn });
      return { id: message.id, ok: true, result: null };
    }
    const handler = await handlerFor(message.functionName);
    const result = await handler(message.event, contextOf(message));
    // JSON only, as Lambda returns it (and what the main thread can be sent).
    return {
      id: message.id,
      ok: true,
      result: asJson(result),
    };
  } catch (error) {
    // The name is what a Retry or Catch matches; the rest is for the error's Cause.
    const {
      name,
      message: text,
      stack,
    } = error instanceof Error ? error : { name: 'Error', message: String(error), stack: undefined };
    return { id: message.id, ok: false, error: { name, message: text, ...(stack ? { stack } : {}) } };
  }
}

port.on('message', (message: ToWorker) => {
  void answer(message).then((reply) => port.postMessage(reply));
});
