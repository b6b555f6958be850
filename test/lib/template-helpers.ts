/**
 * Reading a synthesized template by meaning (function names, state machine names, role policies)
 * rather than by CDK's hashed logical ids.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll } from 'vitest';
import { functionName } from '../../lambdas/contract/functions.ts';
import { synthStack, TEST_CONFIG, type Synthesized } from './synth.ts';

export type Resource = { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown };
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

export function resources(template: Template, type: string): [string, Resource][] {
  const all = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  return Object.entries(all).filter(([, r]) => r.Type === type);
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, else undefined. */
export function targetOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
export const actionsOf = (s: Statement): string[] => asArray(s.Action);
export const resourcesOf = (s: Statement): unknown[] => asArray(s.Resource);

/** FunctionName → logical id. */
export function functionsByName(template: Template): Map<string, string> {
  return new Map(
    resources(template, 'AWS::Lambda::Function').map(([id, r]) => [String(r.Properties?.FunctionName), id]),
  );
}

export function stateMachinesByName(template: Template): Map<string, string> {
  return new Map(
    resources(template, 'AWS::StepFunctions::StateMachine').map(([id, r]) => [
      String(r.Properties?.StateMachineName),
      id,
    ]),
  );
}

export function resource(template: Template, logicalId: string): Resource {
  const found = (template.toJSON() as { Resources: Record<string, Resource> }).Resources[logicalId];
  if (!found) throw new Error(`No resource ${logicalId}`);
  return found;
}

/** Every Allow statement in the policies attached to a role (inline AWS::IAM::Policy resources). */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return resources(template, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties?.Roles).some((r) => targetOf(r) === roleLogicalId))
    .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Effect === 'Allow');
}

export function roleOf(template: Template, logicalId: string): string {
  const props = resource(template, logicalId).Properties ?? {};
  const role = targetOf(props.Role ?? props.RoleArn);
  if (!role) throw new Error(`${logicalId} has no role reference`);
  return role;
}

/** Resources of the statements granting `action` (exact action name, no wildcards expected). */
export function resourcesGranted(statements: Statement[], action: string): unknown[] {
  return statements.filter((s) => actionsOf(s).includes(action)).flatMap(resourcesOf);
}

/** Flattens `Fn::Join` of strings and pseudo-parameter Refs into one readable string. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = (value ?? {}) as Record<string, unknown>;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flat).join(sep);
  }
  const target = targetOf(value);
  if (target) return `<${target}>`;
  return JSON.stringify(value);
}

/**
 * One synthesis of the stack (without bundles) shared by every test of the file that calls this at its
 * top, and what those tests look up in it: a function's logical id and its role's statements, by the
 * function's name in contract/functions.ts.
 */
export function synthesizedOnce() {
  let synth: Synthesized | undefined;
  beforeAll(() => {
    synth = synthStack({ bundle: false });
  });
  const synthesized = (): Synthesized => {
    if (!synth) throw new Error('the stack is synthesized in beforeAll: read it inside a test');
    return synth;
  };
  const template = () => synthesized().template;
  const fnId = (name: string): string => {
    const id = functionsByName(template()).get(functionName(TEST_CONFIG.stackName, name));
    if (!id) throw new Error(`No function ${functionName(TEST_CONFIG.stackName, name)}`);
    return id;
  };
  const statementsOf = (name: string) => statementsOfRole(template(), roleOf(template(), fnId(name)));
  return { synthesized, template, fnId, statementsOf };
}
