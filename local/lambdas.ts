import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS, STATE_MACHINES, functionName } from '../lambdas/contract/functions.ts';
import type { LambdaLikeContext, LocalLambdaHandler, LocalStateMachine } from './stepfunctions/index.ts';
import { lambdaContext as engineLambdaContext, stateMachineArn } from './stepfunctions/index.ts';
import { handlerFor } from './handlers.ts';
import type { LambdaWorkers } from './lambda-workers.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, lambdaFunctionName } from './stepfunctions/arns.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_REGION = DEFAULT_REGION;
export const LOCAL_ACCOUNT = DEFAULT_ACCOUNT_ID;
export const FUNCTION_PREFIX = 'incident-comms';
export { handlerFor };

export const localFunctionArn = (name: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName(FUNCTION_PREFIX, name)}`;

/** The function a lambda:invoke FunctionName (ARN, partial ARN or name) means, by its stable name. */
function specNameOf(functionNameOrArn: string): string {
  const name = lambdaFunctionName(functionNameOrArn);
  const spec = FUNCTIONS.find((f) => functionName(FUNCTION_PREFIX, f.name) === name);
  if (!spec) throw new Error(`No local function named ${name} (from ${functionNameOrArn})`);
  return spec.name;
}

/** Resolves a lambda:invoke FunctionName (ARN, partial ARN or name) to the same handler AWS would run. */
export const resolveLambda = async (functionNameOrArn: string): Promise<LocalLambdaHandler> =>
  handlerFor(specNameOf(functionNameOrArn));

/** The handler of the function `specName` (its stable name): on the worker pool when it runs there (lambda-workers.ts). */
export const handlerOn = async (workers: LambdaWorkers, specName: string): Promise<LocalLambdaHandler> =>
  workers.handlerFor(specName) ?? handlerFor(specName);

/** resolveLambda, with the functions the worker pool runs run there. */
export function resolveLambdaOn(workers: LambdaWorkers): typeof resolveLambda {
  return (functionNameOrArn) => handlerOn(workers, specNameOf(functionNameOrArn));
}

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
