// zod/mini's functions, imported as a namespace, let esbuild keep only the schema kinds and checks used here.
import * as z from 'zod/mini';
import './zod-locale.ts';
import { PolicyError, type ValidationIssue } from './errors.ts';
import { describeZodIssues } from './issues.ts';
import { defaultNamed, ladderOf, levelNames } from './ladder.ts';
import {
  CHANNELS,
  DEFAULT_SEVERITIES,
  INITIAL_TEMPLATES,
  RESOLUTION_TEMPLATES,
  type SeverityPolicy,
} from './severity.ts';
import type { Severity } from '../contract/payloads.ts';
import { TONE_RULE_IDS } from './tone-rules.ts';

export { policyFor } from './ladder.ts';

const minutes = z
  .number()
  .check(z.int('must be a whole number of minutes'), z.positive('must be more than 0 minutes'));
/** A level's name: what people type in `/comms declare` and read in every DM. */
const levelName = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z][A-Za-z0-9_-]{0,19}$/,
      'must be 1–20 letters, digits, hyphens or underscores, starting with a letter (e.g. SEV0)',
    ),
  );
const nonEmpty = z.string().check(z.minLength(1));

const LevelFieldsSchema = z.strictObject({
  label: nonEmpty,
  meaning: nonEmpty,
  channels: z.array(z.enum(CHANNELS)).check(
    z.minLength(1),
    z.refine((list) => new Set(list).size === list.length, 'must not list a channel twice'),
  ),
  channelMode: z.enum(['all', 'first']),
  cadenceMinutes: z.nullable(minutes),
  maxCadenceMinutes: z.nullable(minutes),
  ownerTimeoutMinutes: minutes,
  backupTimeoutMinutes: minutes,
  cmocReview: z.boolean(),
  autoStart: z.boolean(),
  autoStartAfterMinutes: z.number().check(z.int(), z.gte(0)),
  postmortemHours: z.nullable(z.number().check(z.int(), z.positive())),
  broadcastAllowed: z.boolean(),
  broadcastAtStart: z.boolean(),
  templates: z.partial(
    z.strictObject({ initial: z.enum(INITIAL_TEMPLATES), resolution: z.enum(RESOLUTION_TEMPLATES) }),
  ),
});

const SeverityOverrideSchema = z.partial(LevelFieldsSchema);

/** One level of a company's own ladder: its name, the default level it starts from, and what differs. */
const LevelSchema = z.extend(SeverityOverrideSchema, {
  name: levelName,
  /** The handbook level whose settings this one starts from; a level named SEV1–SEV4 starts from itself. */
  like: z.optional(z.enum(DEFAULT_SEVERITIES)),
});

/**
 * What a company may change. PagerDuty priorities are matched by their name (`priority.summary`),
 * case-insensitively; entries here are added to (and win over) the defaults below.
 */
export const PolicyConfigSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** The ladder, most severe first; absent = the handbook's SEV1–SEV4. */
  levels: z.optional(z.array(LevelSchema).check(z.minLength(1), z.maxLength(10))),
  /** Changes to levels of the ladder, by name. */
  severities: z._default(z.record(levelName, SeverityOverrideSchema), {}),
  pagerduty: z._default(
    z.strictObject({
      priorities: z._default(z.record(nonEmpty, levelName), {}),
      /** Used when an incident has no priority (or one not listed): by urgency. */
      withoutPriority: z._default(
        z.partial(z.strictObject({ high: levelName, low: levelName, unknown: levelName })),
        {},
      ),
    }),
    { priorities: {}, withoutPriority: {} },
  ),
  /**
   * The company's own tone settings: rules it does not want (`off`), and the names of its internal
   * systems a customer cannot read (`internalNames`: flagged like hostnames, with the same rewrite).
   */
  tone: z.optional(
    z.strictObject({
      off: z._default(z.array(z.enum(TONE_RULE_IDS)), []),
      internalNames: z._default(
        z.array(z.string().check(z.trim(), z.minLength(2), z.maxLength(60))).check(z.maxLength(200)),
        [],
      ),
    }),
  ),
  /**
   * The incident channel (README "Incident channel"). Off unless a company turns it on: a roster written
   * before it existed must not start creating channels in the company's Slack on its next incident.
   */
  incidentChannel: z.optional(
    z.strictObject({
      enabled: z._default(z.boolean(), false),
      prefix: z._default(
        z
          .string()
          .check(
            z.regex(
              /^[a-z0-9][a-z0-9_-]{0,19}$/,
              'must be 1–20 lowercase letters, digits, hyphens or underscores, starting with a letter or digit (a Slack channel name)',
            ),
          ),
        'inc',
      ),
    }),
  ),
});

export type PolicyConfig = z.output<typeof PolicyConfigSchema>;
export type SeverityOverride = z.output<typeof SeverityOverrideSchema>;

/** PagerDuty's default priority names P1–P5, mapped onto the handbook's four levels. */
export const DEFAULT_PAGERDUTY_PRIORITIES: Readonly<Record<string, (typeof DEFAULT_SEVERITIES)[number]>> = {
  P1: 'SEV1',
  P2: 'SEV2',
  P3: 'SEV3',
  P4: 'SEV4',
  P5: 'SEV4',
};

/**
 * No (known) priority: a high-urgency page is treated as Major, not Critical. SEV1 starts customer comms
 * without the CMOC, which an unclassified page must not do; SEV2 puts the CMOC in the loop at once.
 */
export const DEFAULT_WITHOUT_PRIORITY: Readonly<
  Record<'high' | 'low' | 'unknown', (typeof DEFAULT_SEVERITIES)[number]>
> = {
  high: 'SEV2',
  low: 'SEV3',
  unknown: 'SEV3',
};

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

/** The incident channel setting; a roster without a policy has the default (off). */
export function incidentChannelPolicy(config?: PolicyConfig): { enabled: boolean; prefix: string } {
  return config?.incidentChannel ?? { enabled: false, prefix: 'inc' };
}

export function severityFromPagerDuty(
  input: { priority?: string | null; urgency?: 'high' | 'low' | null },
  config?: PolicyConfig,
): Severity {
  const priority = input.priority?.trim().toUpperCase();
  if (priority) {
    const configured = Object.entries(config?.pagerduty.priorities ?? {}).find(
      ([name]) => name.trim().toUpperCase() === priority,
    );
    const mapped = configured?.[1] ?? DEFAULT_PAGERDUTY_PRIORITIES[priority];
    if (mapped) return mapped;
  }
  const key = input.urgency ?? 'unknown';
  return config?.pagerduty.withoutPriority[key] ?? DEFAULT_WITHOUT_PRIORITY[key];
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

/** The opening templates whose words promise updates on a cadence ("updates every 30 minutes"). */
const PROMISING_OPENINGS: ReadonlySet<string> = new Set(['critical', 'major']);

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
