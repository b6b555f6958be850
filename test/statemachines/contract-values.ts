import ts from 'typescript';

/**
 * The values the contract check follows through a state machine (contract-flow.ts), and what can be said
 * of them against the TypeScript types alone: whether one fits a type, its literals, its shape as text.
 */
export type Value =
  | { kind: 'ts'; type: ts.Type }
  | { kind: 'object'; fields: ReadonlyMap<string, Value> }
  /** Something the contract does not type (a Map's results, Step Functions' own fields). */
  | { kind: 'opaque' };

export const OPAQUE: Value = { kind: 'opaque' };

/** Keys Step Functions adds to a child's input itself, never part of a payload type. */
const STEP_FUNCTIONS_KEYS = new Set(['AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID']);

/** Why `value` does not fit `target` (none: it fits); for a union, the member it comes closest to. */
export function fitErrors(checker: ts.TypeChecker, value: Value, target: ts.Type): string[] {
  if (value.kind === 'opaque') return [];
  if (value.kind === 'ts')
    return checker.isTypeAssignableTo(value.type, target)
      ? []
      : [`${checker.typeToString(value.type)} does not fit ${checker.typeToString(target)}`];
  const members = target.isUnion() && !literalsOf(target) ? target.types : [target];
  let best: string[] | undefined;
  for (const member of members) {
    const errors: string[] = [];
    const props = new Map(checker.getPropertiesOfType(member).map((p) => [p.name, p]));
    if (props.size === 0) errors.push(`an object does not fit ${checker.typeToString(member)}`);
    for (const [key, v] of value.fields) {
      if (STEP_FUNCTIONS_KEYS.has(key)) continue;
      const prop = props.get(key);
      if (!prop) errors.push(`"${key}" is not in ${checker.typeToString(member)}`);
      else errors.push(...fitErrors(checker, v, checker.getTypeOfSymbol(prop)).map((e) => `"${key}": ${e}`));
    }
    for (const [key, prop] of props)
      if (!(prop.flags & ts.SymbolFlags.Optional) && !value.fields.has(key))
        errors.push(`"${key}" is required by ${checker.typeToString(member)} and not sent`);
    if (!best || errors.length < best.length) best = errors;
    if (errors.length === 0) return [];
  }
  return best ?? [];
}

export function literal(checker: ts.TypeChecker, v: unknown): { kind: 'ts'; type: ts.Type } {
  if (typeof v === 'string') return { kind: 'ts', type: checker.getStringLiteralType(v) };
  if (typeof v === 'number') return { kind: 'ts', type: checker.getNumberLiteralType(v) };
  if (typeof v === 'boolean') return { kind: 'ts', type: v ? checker.getTrueType() : checker.getFalseType() };
  if (v === null) return { kind: 'ts', type: checker.getNullType() };
  return { kind: 'ts', type: checker.getAnyType() };
}

/** The string literals a type allows, or undefined when it allows any string (or is not a string). */
export function literalsOf(type: ts.Type): string[] | undefined {
  const members = type.isUnion() ? type.types : [type];
  if (!members.every((m): m is ts.StringLiteralType => m.isStringLiteral())) return undefined;
  return members.map((m) => m.value);
}

/** After `Variable == wanted`, the union members at the variable's parent that can hold `wanted`. */
export function narrow(checker: ts.TypeChecker, input: Value, variable: string, wanted: string): Value {
  const keys = variable.replace(/^\$\./, '').split('.');
  const field = keys.pop();
  if (!field) return input;
  const rebuild = (value: Value, at: string[]): Value => {
    const [key, ...rest] = at;
    if (value.kind === 'object' && key) {
      const fields = new Map(value.fields);
      const inner = fields.get(key);
      if (inner) fields.set(key, rebuild(inner, rest));
      return { kind: 'object', fields };
    }
    if (value.kind !== 'ts' || key || !value.type.isUnion()) return value;
    const kept = value.type.types.filter((m) => {
      const p = checker.getPropertyOfType(m, field);
      return (
        p && checker.isTypeAssignableTo(checker.getStringLiteralType(wanted), checker.getTypeOfSymbol(p))
      );
    });
    return kept.length === 1 ? { kind: 'ts', type: kept[0]! } : value;
  };
  return rebuild(input, keys);
}

/** A value's shape as text, to tell one input of a state from another. */
export function describe(checker: ts.TypeChecker, v: Value): string {
  if (v.kind === 'opaque') return '?';
  if (v.kind === 'ts') return checker.typeToString(v.type);
  return `{${[...v.fields].map(([k, f]) => `${k}:${describe(checker, f)}`).join(',')}}`;
}
