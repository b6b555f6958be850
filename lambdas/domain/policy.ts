// zod/mini's functions, imported as a namespace, let esbuild keep only the schema kinds and checks used here.
import * as z from 'zod/mini';
import './zod-locale.ts';
import { nonEmpty } from './zod-parts.ts';
import {
  CHANNELS,
  DEFAULT_SEVERITIES,
  INITIAL_TEMPLATES,
  RESOLUTION_TEMPLATES,
  type DefaultSeverity,
} from './severity.ts';
import type { Severity } from '../contract/payloads.ts';
import { TONE_RULE_IDS } from './tone-rule-ids.ts';

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
export const DEFAULT_PAGERDUTY_PRIORITIES: Readonly<Record<string, DefaultSeverity>> = {
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
export const DEFAULT_WITHOUT_PRIORITY: Readonly<Record<'high' | 'low' | 'unknown', DefaultSeverity>> = {
  high: 'SEV2',
  low: 'SEV3',
  unknown: 'SEV3',
};

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
