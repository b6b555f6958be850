/**
 * What an ASL file asks of IAM, read without lib/asl.ts: every object anywhere in the JSON, so states
 * nested in Map, Parallel or Distributed Map count whatever the reader in lib/ does with them.
 */
import { readAslText } from '../../lib/asl.ts';

export interface AslFacts {
  /** `${Placeholder}` of each machine a Task starts → whether some Task waits for it (`.sync`). */
  readonly starts: ReadonlyMap<string, boolean>;
  /** Some Task waits for a task token. */
  readonly waitsForTokens: boolean;
  /** `${Placeholder}` of each function a callback Task (`lambda:invoke.waitForTaskToken`) invokes. */
  readonly tokenTaskFunctions: ReadonlySet<string>;
  /** Some Map runs its items as child executions (`ProcessorConfig.Mode: DISTRIBUTED`). */
  readonly distributed: boolean;
}

function objectsIn(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(objectsIn);
  if (typeof node !== 'object' || node === null) return [];
  const object = node as Record<string, unknown>;
  return [object, ...Object.values(object).flatMap(objectsIn)];
}

export function aslFacts(file: string): AslFacts {
  const starts = new Map<string, boolean>();
  const tokenTaskFunctions = new Set<string>();
  let waitsForTokens = false;
  let distributed = false;
  for (const object of objectsIn(JSON.parse(readAslText(file)))) {
    const resource = typeof object.Resource === 'string' ? object.Resource : '';
    if (resource.endsWith('.waitForTaskToken')) waitsForTokens = true;
    if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
      const fn = (object.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
      const placeholder = /^\$\{(\w+)\}$/.exec(String(fn))?.[1];
      if (placeholder) tokenTaskFunctions.add(placeholder);
    }
    const config = object.ProcessorConfig as { Mode?: unknown } | undefined;
    if (config?.Mode === 'DISTRIBUTED') distributed = true;
    if (!resource.startsWith('arn:aws:states:::states:startExecution')) continue;
    const params = (object.Parameters ?? object.Arguments) as { StateMachineArn?: unknown } | undefined;
    const placeholder = /^\$\{(\w+)\}$/.exec(String(params?.StateMachineArn))?.[1];
    if (!placeholder) throw new Error(`${file}: a startExecution Task without a \${Placeholder} ARN`);
    starts.set(placeholder, (starts.get(placeholder) ?? false) || resource.includes('.sync'));
  }
  return { starts, waitsForTokens, tokenTaskFunctions, distributed };
}
