import ts from 'typescript';
import type { AslMachine, AslState } from '../../lib/asl.ts';
import type { ContractTypes } from '../support/contract-types.ts';
import { OPAQUE, describe, fitErrors, literal, literalsOf, narrow, type Value } from './contract-values.ts';

/**
 * Follows data through a state machine the way Step Functions does (Parameters, ResultSelector,
 * ResultPath, OutputPath, Map items, Catch), with the TypeScript contract's types at the Lambda edges,
 * and reports every place where the ASL and the code disagree: a payload key the function's input does
 * not have, a required key missing, a value of the wrong type, a picked field its output does not have, a
 * Choice comparing against a value the contract does not name. JSONPath only (what the ASL uses).
 */
export interface MachineTypes {
  /** Each function's name by its `${…}` substitution, and what its callback tasks are answered with. */
  functionBySubstitution: ReadonlyMap<string, { name: string; answers?: ts.Type }>;
  /** Each state machine by its `${…}` substitution: what it starts with and returns. */
  machineBySubstitution: ReadonlyMap<string, { input: ts.Type; output?: ts.Type }>;
}

export function checkMachine(
  types: ContractTypes,
  machine: MachineTypes,
  top: AslMachine,
  input: ts.Type,
): string[] {
  const flow = new Flow(types, machine, { kind: 'ts', type: input });
  flow.run(top, { kind: 'ts', type: input }, undefined);
  return [...new Set([...flow.problems, ...flow.rulesNeverTaken()])];
}

class Flow {
  readonly problems: string[] = [];
  private readonly checker: ts.TypeChecker;
  /**
   * Choice rules by "<state>#<index>": why a rule could not match an input it saw, and the rules some
   * input could take. A rule is wrong only if no input ever can (one Choice may serve several states'
   * paths, each with its own literal, like the step a failure names).
   */
  private readonly ruleMisses = new Map<string, string>();
  private readonly ruleHits = new Set<string>();

  constructor(
    private readonly types: ContractTypes,
    private readonly machine: MachineTypes,
    /** What the execution started with: `$$.Execution.Input`. */
    private readonly started: Value,
  ) {
    this.checker = types.checker;
  }

  /** Runs one (sub)machine from StartAt with `input`; `item` is `$$.Map.Item.Value` inside a Map. */
  run(m: AslMachine, input: Value, item: Value | undefined): void {
    const seen = new Map<string, Set<string>>();
    const work: [string, Value][] = [[m.StartAt, input]];
    while (work.length > 0) {
      const [name, value] = work.pop()!;
      // A state is evaluated again only for an input of a shape it has not seen (loops end).
      const shape = describe(this.checker, value);
      const shapes = seen.get(name) ?? new Set<string>();
      if (shapes.has(shape)) continue;
      shapes.add(shape);
      seen.set(name, shapes);
      const state = m.States[name];
      if (!state) continue;
      for (const next of this.step(name, state, value, item)) work.push(next);
    }
  }

  private step(name: string, s: AslState, input: Value, item: Value | undefined): [string, Value][] {
    const out: [string, Value][] = [];
    const go = (next: unknown, value: Value) => typeof next === 'string' && out.push([next, value]);
    const ctx = { name, input, item };
    switch (s.Type) {
      case 'Choice': {
        ((s.Choices ?? []) as Record<string, unknown>[]).forEach((rule, i) => {
          const taken = this.choice(ctx, rule, `${name}#${i}`);
          if (taken) go(rule.Next, taken);
        });
        go(s.Default, input);
        return out;
      }
      case 'Map': {
        const items = this.path(ctx, input, typeof s.ItemsPath === 'string' ? s.ItemsPath : '$');
        const element = this.elementOf(name, items);
        const selector = (s.ItemSelector ?? s.Parameters) as Record<string, unknown> | undefined;
        const iteration = selector ? this.template(ctx, selector, element) : element;
        const inner = (s.ItemProcessor ?? s.Iterator) as AslMachine | undefined;
        if (inner) this.run(inner, iteration, element);
        go(s.Next, this.applyResult(ctx, s, OPAQUE));
        break;
      }
      case 'Task': {
        go(s.Next, this.applyResult(ctx, s, this.task(ctx, s)));
        break;
      }
      case 'Pass': {
        const params = s.Parameters as Record<string, unknown> | undefined;
        const result = params
          ? this.template(ctx, params, item)
          : 'Result' in s
            ? literal(this.checker, s.Result)
            : input;
        go(s.Next, this.applyResult(ctx, s, result));
        break;
      }
      case 'Wait':
        go(s.Next, input);
        break;
      default:
        break;
    }
    for (const c of (s.Catch ?? []) as Record<string, unknown>[]) {
      const error: Value = {
        kind: 'object',
        fields: new Map([
          ['Error', this.str()],
          ['Cause', this.str()],
        ]),
      };
      go(c.Next, this.place(ctx, input, c.ResultPath as string | null | undefined, error));
    }
    return out;
  }

  /** A Task's raw result, after checking what it is sent against what it accepts. */
  private task(ctx: Ctx, s: AslState): Value {
    const resource = typeof s.Resource === 'string' ? s.Resource : '';
    const params = (s.Parameters ?? {}) as Record<string, unknown>;
    if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
      const fn = this.machine.functionBySubstitution.get(substitutionIn(params.FunctionName));
      if (!fn) {
        this.problems.push(
          `${ctx.name}: invokes ${String(params.FunctionName)}, which is not in contract/functions.ts`,
        );
        return OPAQUE;
      }
      const types = this.types.functions.get(fn.name)!;
      const payload = params.Payload as Record<string, unknown> | undefined;
      if (!payload) this.problems.push(`${ctx.name}: sends ${fn.name} no Payload object`);
      else
        this.assignable(
          `${ctx.name}: payload to ${fn.name}`,
          this.template(ctx, payload, ctx.item),
          types.input,
        );
      if (resource.endsWith('.waitForTaskToken')) {
        if (!fn.answers)
          this.problems.push(`${ctx.name}: ${fn.name} has no callback answer in contract/functions.ts`);
        return fn.answers ? { kind: 'ts', type: fn.answers } : OPAQUE;
      }
      return { kind: 'object', fields: new Map([['Payload', { kind: 'ts', type: types.output }]]) };
    }
    if (resource.startsWith('arn:aws:states:::states:startExecution')) {
      const child = this.machine.machineBySubstitution.get(substitutionIn(params.StateMachineArn));
      if (!child) {
        this.problems.push(
          `${ctx.name}: starts ${String(params.StateMachineArn)}, not in contract/functions.ts`,
        );
        return OPAQUE;
      }
      this.childName(ctx, params);
      const start = params.Input as Record<string, unknown> | undefined;
      if (!start) this.problems.push(`${ctx.name}: starts a child with no Input object`);
      else this.assignable(`${ctx.name}: child input`, this.template(ctx, start, ctx.item), child.input);
      if (!resource.includes('.sync')) return OPAQUE;
      if (!child.output) {
        this.problems.push(`${ctx.name}: waits for a child whose output contract/functions.ts does not type`);
        return OPAQUE;
      }
      return { kind: 'object', fields: new Map([['Output', { kind: 'ts', type: child.output }]]) };
    }
    this.problems.push(`${ctx.name}: resource ${resource} is not checked by the contract test`);
    return OPAQUE;
  }

  /**
   * A child's `Name.$`: every path it reads (itself, or the arguments of an intrinsic such as States.Format)
   * must be a string the contract's types give there, so the name the code builds is the one started.
   */
  private childName(ctx: Ctx, params: Record<string, unknown>): void {
    const name = params['Name.$'];
    if (name === undefined) return;
    const paths = typeof name === 'string' ? (name.match(/\$\$?(\.\w+)+/g) ?? []) : [];
    if (paths.length === 0) this.problems.push(`${ctx.name}: Name.$ reads no path`);
    for (const path of paths) {
      const value = this.pathOrContext(ctx, ctx.input, path, ctx.item);
      if (value.kind === 'ts' && !this.checker.isTypeAssignableTo(value.type, this.checker.getStringType()))
        this.problems.push(`${ctx.name}: Name.$ reads ${path}, which is not a string in the contract`);
    }
  }

  /** Every Choice rule that no input reaching it could take. */
  rulesNeverTaken(): string[] {
    return [...this.ruleMisses].filter(([rule]) => !this.ruleHits.has(rule)).map(([, why]) => why);
  }

  /**
   * A Choice rule's comparison against the contract, and the input narrowed for its Next; undefined when
   * this input cannot take the rule (its value is never the one compared).
   */
  private choice(ctx: Ctx, rule: Record<string, unknown>, id: string): Value | undefined {
    const variable = rule.Variable;
    if (typeof variable !== 'string') {
      this.problems.push(`${ctx.name}: a rule without a single Variable is not checked by the contract test`);
      return ctx.input;
    }
    const target = this.path(ctx, ctx.input, variable);
    if ('StringEquals' in rule) {
      const wanted = String(rule.StringEquals);
      if (target.kind === 'ts') {
        const options = literalsOf(target.type);
        if (!options)
          this.problems.push(`${ctx.name}: ${variable} is not a closed set of strings in the contract`);
        else if (!options.includes(wanted)) {
          this.ruleMisses.set(
            id,
            `${ctx.name}: ${variable} is never "${wanted}" (contract: ${options.join(', ')})`,
          );
          return undefined;
        }
      }
      this.ruleHits.add(id);
      return narrow(this.checker, ctx.input, variable, wanted);
    }
    if ('BooleanEquals' in rule) {
      if (
        target.kind === 'ts' &&
        !this.checker.isTypeAssignableTo(literal(this.checker, rule.BooleanEquals).type, target.type)
      )
        this.problems.push(`${ctx.name}: ${variable} is not a boolean in the contract`);
      return ctx.input;
    }
    this.problems.push(
      `${ctx.name}: comparison ${Object.keys(rule).join(',')} is not checked by the contract test`,
    );
    return ctx.input;
  }

  /** ResultSelector, ResultPath, OutputPath, applied to a state's raw result. */
  private applyResult(ctx: Ctx, s: AslState, raw: Value): Value {
    const selector = s.ResultSelector as Record<string, unknown> | undefined;
    const selected = selector ? this.template({ ...ctx, input: raw }, selector, ctx.item, raw) : raw;
    const placed = this.place(ctx, ctx.input, s.ResultPath as string | null | undefined, selected);
    return typeof s.OutputPath === 'string' ? this.path(ctx, placed, s.OutputPath) : placed;
  }

  private place(ctx: Ctx, input: Value, resultPath: string | null | undefined, result: Value): Value {
    if (resultPath === null) return input;
    if (resultPath === undefined || resultPath === '$') return result;
    const keys = resultPath.replace(/^\$\.?/, '').split('.');
    const set = (into: Value, at: string[]): Value => {
      const [key, ...rest] = at;
      if (!key) return result;
      const fields = new Map(this.fieldsOf(ctx, into));
      fields.set(key, set(fields.get(key) ?? { kind: 'object', fields: new Map() }, rest));
      return { kind: 'object', fields };
    };
    return set(input, keys);
  }

  /** A Parameters-like template evaluated against `input` (`…$` keys are paths, the rest literals). */
  private template(
    ctx: Ctx,
    t: Record<string, unknown>,
    item: Value | undefined,
    from: Value = ctx.input,
  ): Value {
    const fields = new Map<string, Value>();
    for (const [key, v] of Object.entries(t)) {
      if (key.endsWith('.$')) {
        fields.set(key.slice(0, -2), typeof v === 'string' ? this.pathOrContext(ctx, from, v, item) : OPAQUE);
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        fields.set(key, this.template(ctx, v as Record<string, unknown>, item, from));
      } else fields.set(key, literal(this.checker, v));
    }
    return { kind: 'object', fields };
  }

  private pathOrContext(ctx: Ctx, from: Value, path: string, item: Value | undefined): Value {
    if (path === '$$.Map.Item.Value') return item ?? OPAQUE;
    if (path === '$$.Execution.Input') return this.started;
    if (path.startsWith('$$.Map.Item.Value.'))
      return this.path(ctx, item ?? OPAQUE, `$${path.slice('$$.Map.Item.Value'.length)}`);
    if (path.startsWith('$$.'))
      return /Index$/.test(path) ? { kind: 'ts', type: this.checker.getNumberType() } : this.str();
    if (path.startsWith('States.')) return OPAQUE;
    return this.path(ctx, from, path);
  }

  /** `$.a.b` in a value; a path the value cannot have is a problem (Step Functions fails the state). */
  private path(ctx: Ctx, value: Value, path: string): Value {
    if (path === '$') return value;
    if (!path.startsWith('$.')) {
      this.problems.push(`${ctx.name}: path ${path} is not checked by the contract test`);
      return OPAQUE;
    }
    let at = value;
    for (const key of path.slice(2).split('.')) {
      if (at.kind === 'opaque') return OPAQUE;
      if (at.kind === 'object') {
        const next = at.fields.get(key);
        if (!next) {
          this.problems.push(
            `${ctx.name}: ${path} — there is no "${key}" here (fields: ${[...at.fields.keys()].join(', ')})`,
          );
          return OPAQUE;
        }
        at = next;
        continue;
      }
      const type = this.propertyType(at.type, key);
      if (!type) {
        this.problems.push(`${ctx.name}: ${path} — ${this.checker.typeToString(at.type)} has no "${key}"`);
        return OPAQUE;
      }
      at = { kind: 'ts', type };
    }
    return at;
  }

  /**
   * A property every member of the type has (what a JSONPath may rely on), without `undefined`. The
   * checker unites a union's property types itself ("send" | "cant" | … for a discriminant).
   */
  private propertyType(type: ts.Type, key: string): ts.Type | undefined {
    const property = this.checker.getPropertyOfType(type, key);
    return property && this.checker.getNonNullableType(this.checker.getTypeOfSymbol(property));
  }

  private fieldsOf(ctx: Ctx, value: Value): ReadonlyMap<string, Value> {
    if (value.kind === 'object') return value.fields;
    if (value.kind === 'opaque') return new Map();
    const fields = new Map<string, Value>();
    for (const p of this.checker.getPropertiesOfType(value.type))
      fields.set(p.name, {
        kind: 'ts',
        type: this.checker.getNonNullableType(this.checker.getTypeOfSymbol(p)),
      });
    if (fields.size === 0)
      this.problems.push(`${ctx.name}: cannot place a result into ${this.checker.typeToString(value.type)}`);
    return fields;
  }

  private elementOf(state: string, items: Value): Value {
    if (items.kind !== 'ts') return OPAQUE;
    const element = this.checker.getIndexTypeOfType(items.type, ts.IndexKind.Number);
    if (!element) this.problems.push(`${state}: ItemsPath is not an array in the contract`);
    return element ? { kind: 'ts', type: element } : OPAQUE;
  }

  /** Whether `value` fits `target`; for a union, some member must take it whole. */
  private assignable(where: string, value: Value, target: ts.Type): void {
    const errors = fitErrors(this.checker, value, target);
    if (errors.length > 0) this.problems.push(...errors.map((e) => `${where}: ${e}`));
  }

  private str(): Value {
    return { kind: 'ts', type: this.checker.getStringType() };
  }
}

interface Ctx {
  name: string;
  input: Value;
  item: Value | undefined;
}

function substitutionIn(value: unknown): string {
  return /^\$\{(\w+)\}$/.exec(String(value))?.[1] ?? '';
}
