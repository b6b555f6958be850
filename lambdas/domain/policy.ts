// A namespace import lets esbuild drop the parts of zod we don't use (the named `z` export keeps all of it).
import * as z from 'zod';
import { PolicyError, type ValidationIssue } from './errors.ts';
import { describeZodIssues } from './issues.ts';
import { CHANNELS, DEFAULT_POLICIES, type SeverityPolicy } from './severity.ts';
import { SEVERITIES, type Severity } from '../contract/payloads.ts';

const minutes = z.number().int('must be a whole number of minutes').positive('must be more than 0 minutes');
const severity = z.enum(SEVERITIES);

const SeverityOverrideSchema = z
  .strictObject({
    label: z.string().min(1),
    meaning: z.string().min(1),
    channels: z
      .array(z.enum(CHANNELS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'must not list a channel twice'),
    channelMode: z.enum(['all', 'first']),
    cadenceMinutes: minutes.nullable(),
    maxCadenceMinutes: minutes.nullable(),
    ownerTimeoutMinutes: minutes,
    backupTimeoutMinutes: minutes,
    cmocReview: z.boolean(),
    autoStart: z.boolean(),
    autoStartAfterMinutes: z.number().int().min(0),
    postmortemHours: z.number().int().positive().nullable(),
    broadcastAllowed: z.boolean(),
  })
  .partial();

/**
 * What a company may change. PagerDuty priorities are matched by their name (`priority.summary`),
 * case-insensitively; entries here are added to (and win over) the defaults below.
 */
export const PolicyConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  severities: z.partialRecord(severity, SeverityOverrideSchema).default({}),
  pagerduty: z
    .strictObject({
      priorities: z.record(z.string().min(1), severity).default({}),
      /** Used when an incident has no priority (or one not listed): by urgency. */
      withoutPriority: z
        .strictObject({ high: severity, low: severity, unknown: severity })
        .partial()
        .default({}),
    })
    .default({ priorities: {}, withoutPriority: {} }),
  /**
   * The incident channel (README "Incident channel"). Off unless a company turns it on: a roster written
   * before it existed must not start creating channels in the company's Slack on its next incident.
   */
  incidentChannel: z
    .strictObject({
      enabled: z.boolean().default(false),
      prefix: z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9_-]{0,19}$/,
          'must be 1–20 lowercase letters, digits, hyphens or underscores, starting with a letter or digit (a Slack channel name)',
        )
        .default('inc'),
    })
    .optional(),
});

export type PolicyConfig = z.output<typeof PolicyConfigSchema>;
export type SeverityOverride = z.output<typeof SeverityOverrideSchema>;

/** PagerDuty's default priority names P1–P5, mapped onto the handbook's four levels. */
export const DEFAULT_PAGERDUTY_PRIORITIES: Readonly<Record<string, Severity>> = {
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
export const DEFAULT_WITHOUT_PRIORITY: Readonly<Record<'high' | 'low' | 'unknown', Severity>> = {
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
 * The rules between fields that the schema cannot express, for every severity. `prefix` is where the config
 * sits in its file (`policy.` inside a roster), so each issue names the path a person edits.
 */
export function policyIssues(config: PolicyConfig, prefix = ''): ValidationIssue[] {
  return SEVERITIES.flatMap((sev) => consistencyIssues(policyFor(sev, config), config, prefix));
}

export function policyFor(sev: Severity, config?: PolicyConfig): SeverityPolicy {
  const merged = { ...DEFAULT_POLICIES[sev], ...stripUndefined(config?.severities[sev] ?? {}) };
  return { ...merged, channels: [...merged.channels] };
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

/** Rules between fields, checked on the merged policy so an override cannot break a default. */
function consistencyIssues(policy: SeverityPolicy, config: PolicyConfig, prefix: string): ValidationIssue[] {
  const at = (field: keyof SeverityPolicy) => `${prefix}severities.${policy.severity}.${field}`;
  const issue = (field: keyof SeverityPolicy, text: string): ValidationIssue => ({
    path: at(field),
    message: `${at(field)} ${text}`,
  });
  const out: ValidationIssue[] = [];
  const { cadenceMinutes: cadence, maxCadenceMinutes: max } = policy;
  const overridden = config.severities[policy.severity] ?? {};
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
  return out;
}

/** Each of T's properties optional and never undefined: what is left once the undefined ones are dropped. */
type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

function stripUndefined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}
