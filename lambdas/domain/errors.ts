/**
 * Domain errors. Each sets `name` because that is what a Step Functions `Catch` matches on
 * (`ErrorEquals: ["TemplateError"]`), and what the CLI uses to choose its exit code.
 */

/** One problem in a roster or policy file, precise enough to fix without reading code. */
export interface ValidationIssue {
  /** Where, as a property path: `accounts[3].ownerId`, `severities.SEV1.cadenceMinutes`. */
  path: string;
  /** A sentence naming the record (account/person id) and the field, e.g. `accounts[3] (id "acme"): …`. */
  message: string;
}

abstract class ValidationError extends Error {
  readonly issues: ValidationIssue[];
  constructor(what: string, issues: ValidationIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`${what} is invalid (${count}):\n${issues.map((i) => `  - ${i.message}`).join('\n')}`);
    this.issues = issues;
  }
}

export class RosterError extends ValidationError {
  constructor(issues: ValidationIssue[]) {
    super('Roster', issues);
    this.name = 'RosterError';
  }
}

export class PolicyError extends ValidationError {
  constructor(issues: ValidationIssue[]) {
    super('Policy config', issues);
    this.name = 'PolicyError';
  }
}

/** A message could not be rendered completely. Such a message must never be sent. */
export class TemplateError extends Error {
  /** The placeholders that stayed unfilled, e.g. `["sender.name"]`. */
  readonly missing: string[];
  constructor(context: string, missing: string[]) {
    super(`Cannot render ${context}: nothing to fill ${missing.map((m) => `{${m}}`).join(', ')} with`);
    this.name = 'TemplateError';
    this.missing = missing;
  }
}

/** Nobody on any rota can take the role at this moment (everyone is on PTO). */
export class CoverageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoverageError';
  }
}
