import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTIONS } from '../lambdas/contract/functions.ts';
import { withinInvocation } from './invocations.ts';
import type { LambdaLikeContext } from './stepfunctions/types.ts';

/**
 * Kept apart from lambdas.ts so that a worker thread (lambda-worker.ts) loads only this and the handler
 * modules, not the Step Functions engine.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Handler = (event: unknown, context: LambdaLikeContext) => Promise<unknown>;
const loaded = new Map<string, Promise<Handler>>();

/**
 * The handler module of the function deployed as `name`, imported once (like a warm Lambda), after the
 * environment is set.
 */
export function handlerFor(name: string): Promise<Handler> {
  let handler = loaded.get(name);
  if (!handler) {
    const spec = FUNCTIONS.find((f) => f.name === name);
    if (!spec) return Promise.reject(new Error(`No function named ${name} in lambdas/contract/functions.ts`));
    const file = pathToFileURL(path.join(root, 'lambdas', spec.handler, 'handler.ts')).href;
    handler = import(file).then((mod: { handler?: Handler }) => {
      const run = mod.handler;
      if (typeof run !== 'function') throw new Error(`lambdas/${spec.handler}/handler.ts exports no handler`);
      return (event, context) => withinInvocation(spec.name, () => run(event, context));
    });
    loaded.set(name, handler);
  }
  return handler;
}
