// The schema (policy.ts) says what each field of a policy may hold; the checks here are the rules between
// fields and levels that no schema can express, with the path of each issue a person edits.
import { PolicyError, type ValidationIssue } from './errors.ts';
import { describeZodIssues } from './issues.ts';
import { defaultNamed, ladderOf, levelNames } from './ladder.ts';
import {
  DEFAULT_PAGERDUTY_PRIORITIES,
  DEFAULT_WITHOUT_PRIORITY,
  PolicyConfigSchema,
  type PolicyConfig,
} from './policy.ts';
import { DEFAULT_SEVERITIES, PROMISING_OPENINGS, type SeverityPolicy } from './severity.ts';
import type { Severity } from '../contract/payloads.ts';

export function parsePolicyConfig(input: unknown): PolicyConfig {
  const parsed = PolicyConfigSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new PolicyError(describeZodIssues(parsed.error.issues, input, 'policy config'));
  const issues = policyIssues(parsed.data);
  if (issues.length > 0) throw new PolicyError(issues);
  return parsed.data;
}

/**
 * The rules the schema cannot express: every name refers to a level of the ladder, and each level's fields
 * agree with each other. `prefix` is where the config sits in its file (`policy.` inside a roster), so each
 * issue names the path a person edits.
 */
export function policyIssues(config: PolicyConfig, prefix = ''): ValidationIssue[] {
  const shape = ladderShapeIssues(config, prefix);
  // A ladder with a gap or a twice-named level has no sound reading to check the rest against.
  if (shape.length > 0) return shape;
  return [
    ...referenceIssues(config, prefix),
    ...ladderOf(config).flatMap((level) => consistencyIssues(level, config, prefix)),
  ];
}

function issueAt(path: string, text: string): ValidationIssue {
  return { path, message: `${path} ${text}` };
}

/** Each level of `levels` is named once and complete: from a default level (`like`), or field by field. */
function ladderShapeIssues(config: PolicyConfig, prefix: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  (config.levels ?? []).forEach((level, index) => {
    const at = `${prefix}levels[${index}]`;
    const key = level.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined)
      out.push(issueAt(`${at}.name`, `("${level.name}") names levels[${first}] again`));
    seen.set(key, index);
    if (level.like ?? defaultNamed(level.name)) return;
    const missing = REQUIRED_FIELDS.filter((field) => level[field] === undefined);
    if (missing.length > 0) {
      out.push(
        issueAt(
          at,
          `("${level.name}") is not one of ${DEFAULT_SEVERITIES.join(', ')}: say which it is like ` +
            `(e.g. "like": "SEV1") or give ${missing.join(', ')}`,
        ),
      );
    }
  });
  return out;
}

const REQUIRED_FIELDS = [
  'label',
  'meaning',
  'channels',
  'channelMode',
  'cadenceMinutes',
  'maxCadenceMinutes',
  'ownerTimeoutMinutes',
  'backupTimeoutMinutes',
  'cmocReview',
  'autoStart',
  'autoStartAfterMinutes',
  'postmortemHours',
  'broadcastAllowed',
] as const satisfies readonly (keyof SeverityPolicy)[];

/** Every level a severity override or a PagerDuty mapping names must be on the ladder. */
function referenceIssues(config: PolicyConfig, prefix: string): ValidationIssue[] {
  const names = levelNames(config);
  const known = new Set(names);
  const unknown = (path: string, name: string) =>
    issueAt(path, `("${name}") is not a level of the ladder (${names.join(', ')})`);
  const out: ValidationIssue[] = [];
  for (const name of Object.keys(config.severities)) {
    if (!known.has(name)) out.push(unknown(`${prefix}severities.${name}`, name));
  }
  const { priorities, withoutPriority } = config.pagerduty;
  for (const [priority, name] of Object.entries(priorities)) {
    if (!known.has(name)) out.push(unknown(`${prefix}pagerduty.priorities.${priority}`, name));
  }
  const listed = new Set(Object.keys(priorities).map((p) => p.trim().toUpperCase()));
  for (const [priority, name] of Object.entries(DEFAULT_PAGERDUTY_PRIORITIES)) {
    if (known.has(name) || listed.has(priority)) continue;
    out.push(
      issueAt(
        `${prefix}pagerduty.priorities`,
        `must map PagerDuty's ${priority}: by default it is ${name}, which this ladder does not have`,
      ),
    );
  }
  for (const key of ['high', 'low', 'unknown'] as const) {
    const name = withoutPriority[key];
    if (name === undefined) {
      const fallback = DEFAULT_WITHOUT_PRIORITY[key];
      if (!known.has(fallback)) {
        out.push(
          issueAt(
            `${prefix}pagerduty.withoutPriority.${key}`,
            `must be set: by default it is ${fallback}, which this ladder does not have`,
          ),
        );
      }
    } else if (!known.has(name)) {
      out.push(unknown(`${prefix}pagerduty.withoutPriority.${key}`, name));
    }
  }
  return out;
}

/**
 * Where a person edits a level's field: its `severities` override if it has one, else its entry in
 * `levels`, else (a default level) a new `severities` override.
 */
function fieldPath(config: PolicyConfig, prefix: string, sev: Severity, field: string): string {
  const index = config.levels?.findIndex((level) => level.name === sev) ?? -1;
  if (config.severities[sev] === undefined && index >= 0) return `${prefix}levels[${index}].${field}`;
  return `${prefix}severities.${sev}.${field}`;
}

/** Rules between fields, checked on the merged level so an override cannot break a default. */
function consistencyIssues(policy: SeverityPolicy, config: PolicyConfig, prefix: string): ValidationIssue[] {
  const issue = (field: keyof SeverityPolicy, text: string): ValidationIssue =>
    issueAt(fieldPath(config, prefix, policy.severity, field), text);
  const out: ValidationIssue[] = [];
  const { cadenceMinutes: cadence, maxCadenceMinutes: max } = policy;
  const overridden = {
    ...config.levels?.find((level) => level.name === policy.severity),
    ...config.severities[policy.severity],
  };
  const blame = 'cadenceMinutes' in overridden ? 'cadenceMinutes' : 'maxCadenceMinutes';
  if ((cadence === null) !== (max === null)) {
    out.push(
      issue(blame, `and maxCadenceMinutes must both be set or both be null (got ${cadence} and ${max})`),
    );
  } else if (cadence !== null && max !== null && cadence > max) {
    out.push(
      issue(
        blame,
        `(${blame === 'cadenceMinutes' ? cadence : max}) conflicts: an update every ${cadence} min exceeds the maximum of ${max} min`,
      ),
    );
  }
  if (cadence !== null && policy.ownerTimeoutMinutes + policy.backupTimeoutMinutes > cadence) {
    out.push(
      issue(
        'ownerTimeoutMinutes',
        `(${policy.ownerTimeoutMinutes}) + backupTimeoutMinutes (${policy.backupTimeoutMinutes}) exceed the ` +
          `${cadence}-minute cadence: the next update would be due before this one is sent`,
      ),
    );
  }
  // The opening words promise the next update or they don't; the level's cadence must say the same.
  const opensWithPromise = PROMISING_OPENINGS.has(policy.templates.initial);
  if (opensWithPromise !== (cadence !== null)) {
    const field = overridden.templates?.initial === undefined ? 'cadenceMinutes' : 'templates';
    out.push(
      issue(
        field,
        cadence === null
          ? `conflicts: templates.initial "${policy.templates.initial}" promises updates on a cadence, and the level has none (use "minor" or "informational", or give cadenceMinutes)`
          : `conflicts: templates.initial "${policy.templates.initial}" promises no next update, and the level updates every ${cadence} min (use "critical" or "major", or make cadenceMinutes null)`,
      ),
    );
  }
  if (policy.broadcastAtStart && !policy.channels.includes('slack')) {
    out.push(issue('broadcastAtStart', 'needs slack among the channels: the broadcast is posted in Slack'));
  }
  return out;
}
