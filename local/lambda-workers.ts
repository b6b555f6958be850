import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { withinInvocation } from './invocations.ts';
import type { LambdaLikeContext, LocalLambdaHandler } from './stepfunctions/types.ts';

/**
 * Worker threads for the Lambdas a Distributed Map runs many of at once (the broadcast's batches). On AWS
 * each batch runs on a Lambda of its own; here every handler shares the runtime's one event loop with the
 * stand-ins and the engine, so ten batches posting at once wait on each other's CPU. The pool gives them
 * the machine's other cores: the same handler modules, the same environment (a copy taken when a thread
 * starts, after the runtime has set every endpoint), SDK clients of their own pointed at the same
 * stand-ins, which they reach over their ports as the main thread does. Everything else still runs on the main thread.
 */

/** The functions run on the pool: the items of a Distributed Map, each its own Lambda on AWS. */
export const WORKER_FUNCTIONS: readonly string[] = ['send-broadcast-batch'];

/**
 * The default's ceiling, whatever the machine: the batches are I/O-bound between their CPU bursts. An
 * explicit `LAMBDA_WORKERS` (local/options.ts, up to 16) is taken as given.
 */
const MAX_WORKERS = 4;

/** One thread per core, with one core left to the main thread (the stand-ins, the engine); at least one. */
export const defaultWorkerCount = (): number =>
  Math.min(MAX_WORKERS, Math.max(1, availableParallelism() - 1));

type ContextFields = Omit<
  LambdaLikeContext,
  'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed' | 'callbackWaitsForEmptyEventLoop'
>;

/** What the main thread asks of a worker (lambda-worker.ts). */
export type ToWorker =
  | { kind: 'warm'; id: number; functions: readonly string[]; slackStandIn: boolean }
  | {
      kind: 'invoke';
      id: number;
      functionName: string;
      event: unknown;
      context: { fields: ContextFields; remainingMs: number };
    };

/** A worker's answer: the handler's JSON result, or its error as far as Step Functions reads one. */
export type FromWorker =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

export interface LambdaWorkers {
  /** How many threads the pool runs (0: every handler runs on the main thread). */
  readonly size: number;
  /** The handler of the function `name` run on the pool, or undefined when it runs on the main thread. */
  handlerFor(name: string): LocalLambdaHandler | undefined;
  /** Threads running now, and the invocations the pool has run since it started. */
  stats(): { threads: number; invocations: number };
  /**
   * Starts every thread, imports the pool's handlers in each and warms their clients (warm-clients.ts),
   * so the first invocation loads nothing and finds what a warm Lambda would.
   */
  warm(options: { slackStandIn: boolean }): Promise<void>;
  close(): Promise<void>;
}

interface Thread {
  worker: Worker;
  /** Invocations handed to it and not yet answered. */
  calls: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
}

const WORKER_FILE = new URL('./lambda-worker.ts', import.meta.url);
/** The threads compile the handlers' TypeScript as the main process does (tsx), however it was started. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function errorOf(reply: Extract<FromWorker, { ok: false }>['error']): Error {
  const error = new Error(reply.message);
  error.name = reply.name;
  if (reply.stack) error.stack = reply.stack;
  return error;
}

export function startLambdaWorkers(
  options: { size?: number; functions?: readonly string[] } = {},
): LambdaWorkers {
  const size = options.size ?? defaultWorkerCount();
  const functions = new Set(size > 0 ? (options.functions ?? WORKER_FUNCTIONS) : []);
  let threads: Thread[] = [];
  let nextId = 1;
  let invocations = 0;
  let closed = false;

  function spawn(): Thread {
    const thread: Thread = {
      worker: new Worker(WORKER_FILE, {
        execArgv: ['--import', TSX_LOADER],
        env: { ...process.env },
      }),
      calls: new Map(),
    };
    // The pool never keeps the process alive on its own: the runtime's servers do, until it closes.
    thread.worker.unref();
    thread.worker.on('message', (reply: FromWorker) => {
      const call = thread.calls.get(reply.id);
      if (!call) return;
      thread.calls.delete(reply.id);
      if (reply.ok) call.resolve(reply.result);
      else call.reject(errorOf(reply.error));
    });
    // A thread that dies fails what it was running, as a crashed Lambda instance would; the next call
    // starts a fresh one in its place.
    const lost = (error: Error) => {
      threads = threads.filter((t) => t !== thread);
      for (const call of thread.calls.values()) call.reject(error);
      thread.calls.clear();
    };
    thread.worker.on('error', lost);
    thread.worker.on('exit', (code) => lost(new Error(`the Lambda worker thread exited (code ${code})`)));
    return thread;
  }

  function ensure(): Thread[] {
    if (closed) throw new Error('the local runtime is closed');
    while (threads.length < size) threads.push(spawn());
    return threads;
  }

  /** Hands the message to the least busy thread and waits for its answer. */
  function send(message: (id: number) => ToWorker, thread?: Thread): Promise<unknown> {
    const target = thread ?? ensure().reduce((least, t) => (t.calls.size < least.calls.size ? t : least));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      target.calls.set(id, { resolve, reject });
      target.worker.postMessage(message(id));
    });
  }

  return {
    size,
    handlerFor(name) {
      if (!functions.has(name)) return undefined;
      // Started and ended here, so whoever watches invocations (invocations.ts) sees this one too.
      return (event, context) =>
        withinInvocation(name, () => {
          invocations += 1;
          return send((id) => ({
            kind: 'invoke',
            id,
            functionName: name,
            event,
            context: {
              fields: {
                functionName: context.functionName,
                functionVersion: context.functionVersion,
                invokedFunctionArn: context.invokedFunctionArn,
                memoryLimitInMB: context.memoryLimitInMB,
                awsRequestId: context.awsRequestId,
                logGroupName: context.logGroupName,
                logStreamName: context.logStreamName,
              },
              remainingMs: context.getRemainingTimeInMillis(),
            },
          }));
        });
    },
    stats: () => ({ threads: threads.length, invocations }),
    async warm({ slackStandIn }) {
      if (functions.size === 0) return;
      const names = [...functions];
      await Promise.all(
        ensure().map((t) => send((id) => ({ kind: 'warm', id, functions: names, slackStandIn }), t)),
      );
    },
    async close() {
      closed = true;
      const stopping = threads;
      threads = [];
      for (const t of stopping) {
        for (const call of t.calls.values()) call.reject(new Error('the local runtime closed'));
        t.calls.clear();
      }
      await Promise.all(stopping.map((t) => t.worker.terminate()));
    },
  };
}
