/**
 * The embedded Step Functions service of the local runtime: the product's ASL files run on
 * aws-local-stepfunctions, with every Task served in-process, behind the real Step Functions JSON API so
 * the unmodified @aws-sdk/client-sfn (or `aws stepfunctions --endpoint-url`) works against it.
 */
import { LocalEngine } from './engine.ts';
import { captureTimeoutErrorPrototype } from './errors.ts';
import { listen } from './server.ts';
import type { StepFunctionsOptions } from './types.ts';

export { stateMachineArn, executionArn } from './arns.ts';
export { LocalEngine, type HistoryListener } from './engine.ts';
export { SfnApiError } from './errors.ts';
export { lambdaContext } from './lambda.ts';
export type * from './types.ts';

export interface LocalStepFunctions {
  /** e.g. http://127.0.0.1:43121 — give it to SFNClient as `endpoint`. */
  url: string;
  /** In-process access for tests, the demo and benchmarks. */
  engine: LocalEngine;
  /** Stops all running executions and the server. */
  close(): Promise<void>;
}

/**
 * Starts the service. Throws (before listening) when a definition is invalid or uses a Resource the local
 * runtime cannot serve, naming the machine, state and resource.
 */
export async function startStepFunctions(options: StepFunctionsOptions): Promise<LocalStepFunctions> {
  const engine = new LocalEngine(options);
  await captureTimeoutErrorPrototype();
  const server = await listen(engine, options.port ?? 0);
  return {
    url: server.url,
    engine,
    close: async () => {
      await engine.close();
      await server.close();
    },
  };
}
