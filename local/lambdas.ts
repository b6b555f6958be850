import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTIONS, STATE_MACHINES, functionName } from '../lambdas/contract/functions.ts';
import type { LambdaLikeContext, LocalLambdaHandler, LocalStateMachine } from './stepfunctions/index.ts';
import { lambdaContext as engineLambdaContext, stateMachineArn } from './stepfunctions/index.ts';
import { withinInvocation } from './invocations.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, lambdaFunctionName } from './stepfunctions/arns.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_REGION = DEFAULT_REGION;
export const LOCAL_ACCOUNT = DEFAULT_ACCOUNT_ID;
export const FUNCTION_PREFIX = 'incident-comms';

export const localFunctionArn = (name: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName(FUNCTION_PREFIX, name)}`;

type Handler = (event: unknown, context: LambdaLikeContext) => Promise<unknown>;
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

/** Resolves a lambda:invoke FunctionName (ARN, partial ARN or name) to the same handler AWS would run. */
export const resolveLambda = async (functionNameOrArn: string): Promise<LocalLambdaHandler> => {
  const name = lambdaFunctionName(functionNameOrArn);
  const spec = FUNCTIONS.find((f) => functionName(FUNCTION_PREFIX, f.name) === name);
  if (!spec) throw new Error(`No local function named ${name} (from ${functionNameOrArn})`);
  return handlerFor(spec.name);
};

/** A context like Lambda's, for handlers invoked outside the Step Functions engine (the HTTP routes). */
export function lambdaContext(name: string, timeoutSeconds: number): LambdaLikeContext {
  return engineLambdaContext(
    localFunctionArn(name),
    { resolveLambda, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT },
    timeoutSeconds,
  );
}

/** The very ASL files the stack deploys, with `${…}` replaced by local ARNs. */
export function localStateMachines(): LocalStateMachine[] {
  const substitutions: Record<string, string> = {};
  for (const f of FUNCTIONS)
    if ('substitution' in f) substitutions[f.substitution] = localFunctionArn(f.name);
  for (const m of STATE_MACHINES)
    substitutions[m.substitution] = stateMachineArn(m.name, LOCAL_REGION, LOCAL_ACCOUNT);
  return STATE_MACHINES.map((machine) => {
    const text = readFileSync(path.join(root, 'statemachines', machine.file), 'utf8').replace(
      /\$\{([A-Za-z0-9]+)\}/g,
      (whole, name: string) => {
        const value = substitutions[name];
        if (value === undefined) throw new Error(`${machine.file}: no local value for ${whole}`);
        return value;
      },
    );
    return { name: machine.name, definition: JSON.parse(text) as Record<string, unknown> };
  });
}
