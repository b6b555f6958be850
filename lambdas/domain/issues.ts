import type { core } from 'zod/mini';
import type { ValidationIssue } from './errors.ts';

type Path = readonly PropertyKey[];

/** `['accounts', 3, 'ownerId']` → `accounts[3].ownerId` */
export function formatPath(path: Path): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}

/**
 * Names the record an issue is in, the way a person finds it in the file: `accounts[3] (id "acme")`.
 * Everything after that record is the field. Paths without a list index have no record label.
 */
export function splitRecord(path: Path, input: unknown): { record?: string; field: string } {
  const index = path.findIndex((key) => typeof key === 'number');
  if (index < 0) return { field: formatPath(path) };
  const recordPath = path.slice(0, index + 1);
  const id = idAt(input, recordPath);
  const record = formatPath(recordPath) + (id === undefined ? '' : ` (id ${JSON.stringify(id)})`);
  return { record, field: formatPath(path.slice(index + 1)) };
}

export function sentence(path: Path, input: unknown, wording: string, rootName: string): ValidationIssue {
  const { record, field } = splitRecord(path, input);
  const message = record
    ? `${record}: ${field ? `${field} ` : ''}${wording}`
    : `${field || rootName} ${wording}`;
  return { path: formatPath(path), message };
}

/** Turns zod's issues into sentences a person can act on (zod's defaults say "Invalid input"). */
export function describeZodIssues(
  issues: readonly core.$ZodIssue[],
  input: unknown,
  rootName: string,
): ValidationIssue[] {
  return issues.map((issue) => sentence(issue.path, input, wordingFor(issue), rootName));
}

function wordingFor(issue: core.$ZodIssue): string {
  const got = 'input' in issue ? describeValue(issue.input) : '';
  // A message written in a schema ("must be a Slack user id …") says it best; zod's own defaults do not.
  if (!/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message)) return `${issue.message}${got}`;
  switch (issue.code) {
    case 'invalid_type':
      return 'input' in issue && issue.input === undefined
        ? 'is required'
        : `must be ${article(issue.expected)}${got}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (check the spelling)`;
    case 'too_small':
      if (issue.origin === 'array')
        return `needs at least ${plural(Number(issue.minimum), 'entry', 'entries')}`;
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}${got}`;
    case 'too_big':
      if (issue.origin === 'array')
        return `allows at most ${plural(Number(issue.maximum), 'entry', 'entries')}`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}${got}`;
    case 'invalid_format':
      if (issue.format === 'email') return `must be an email address${got}`;
      if (issue.format === 'url') return `must be a URL${got}`;
      return `must be a valid ${issue.format}${got}`;
    default:
      return issue.message;
  }
}

function idAt(input: unknown, path: Path): string | undefined {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  if (node === null || typeof node !== 'object') return undefined;
  const id = (node as Record<string, unknown>).id;
  return typeof id === 'string' ? id : undefined;
}

function describeValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return ` (got ${JSON.stringify(shown)})`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return ` (got ${String(value)})`;
  return ` (got ${Array.isArray(value) ? 'a list' : `${typeof value === 'object' ? 'an object' : typeof value}`})`;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
