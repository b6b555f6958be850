import type { PolicyConfig, SeverityOverride } from './policy.ts';
import {
  DEFAULT_POLICIES,
  DEFAULT_SEVERITIES,
  type DefaultSeverity,
  type SeverityPolicy,
} from './severity.ts';
import type { Severity } from '../contract/payloads.ts';

/**
 * The company's severity ladder: the policy's `levels` (most severe first), or the handbook's four, with
 * the policy's `severities` overrides applied. Every question about a level — what it is, whether it exists,
 * which is the least severe, whether it promises the next update — is answered here, from the one ladder.
 * The policy is validated before anything reads it (policy.ts), so this file assumes a well-formed one.
 */
export function ladderOf(config?: PolicyConfig): readonly SeverityPolicy[] {
  if (!config) return DEFAULT_LADDER;
  const cached = LADDERS.get(config);
  if (cached) return cached;
  const ladder = buildLadder(config);
  LADDERS.set(config, ladder);
  return ladder;
}

/** The levels' names, most severe first. */
export function levelNames(config?: PolicyConfig): Severity[] {
  return ladderOf(config).map((level) => level.severity);
}

/**
 * The policy of one level. A name the ladder no longer has (a roster changed while an incident was open)
 * is read as the ladder's most severe level under its own name: too much care beats a silent gap.
 */
export function policyFor(sev: Severity, config?: PolicyConfig): SeverityPolicy {
  const ladder = ladderOf(config);
  const level = ladder.find((l) => l.severity === sev) ?? { ...firstOf(ladder), severity: sev };
  return { ...level, channels: [...level.channels], templates: { ...level.templates } };
}

/**
 * What a person typed, as a level of this ladder: its name in any case, and for names like `SEV2` also
 * `sev-2` and `2` (one word: a command splits on spaces). Undefined when it names none.
 */
export function findLevel(word: string, config?: PolicyConfig): Severity | undefined {
  const typed = word.trim().toLowerCase();
  return levelNames(config).find((name) => {
    const lower = name.toLowerCase();
    if (lower === typed) return true;
    const number = /^sev-?(\d+)$/.exec(lower)?.[1];
    return number !== undefined && new RegExp(`^(?:sev)?-?${number}$`).test(typed);
  });
}

/** Planned maintenance is declared at the ladder's least severe level (the handbook's "Informational / Planned"). */
export function maintenanceLevel(config?: PolicyConfig): Severity {
  const ladder = ladderOf(config);
  return (ladder[ladder.length - 1] ?? firstOf(ladder)).severity;
}

/**
 * Whether a level's open-incident messages promise the next update: every level with a cadence (the
 * handbook's SEV1 and SEV2). The templates, the tone check, the slots and the retrospective all ask here.
 */
export function promisesNextUpdate(policy: Pick<SeverityPolicy, 'cadenceMinutes'>): boolean {
  return policy.cadenceMinutes !== null;
}

const DEFAULT_LADDER: readonly SeverityPolicy[] = DEFAULT_SEVERITIES.map((sev) => DEFAULT_POLICIES[sev]);
const LADDERS = new WeakMap<PolicyConfig, readonly SeverityPolicy[]>();

function buildLadder(config: PolicyConfig): SeverityPolicy[] {
  const base =
    config.levels?.map(({ name, like, ...fields }) => ({
      ...apply(DEFAULT_POLICIES[like ?? defaultNamed(name) ?? 'SEV1'], fields),
      severity: name,
    })) ?? DEFAULT_LADDER;
  return base.map((level) => apply(level, config.severities[level.severity] ?? {}));
}

/** A level with some of its fields changed; the templates change one by one. */
function apply(level: SeverityPolicy, change: SeverityOverride): SeverityPolicy {
  const { templates, ...fields } = defined(change);
  return { ...level, ...fields, templates: { ...level.templates, ...defined(templates ?? {}) } };
}

/** The default level of this name, if it is one of the handbook's four. */
export function defaultNamed(name: string): DefaultSeverity | undefined {
  return DEFAULT_SEVERITIES.find((sev) => sev === name);
}

function firstOf(ladder: readonly SeverityPolicy[]): SeverityPolicy {
  return ladder[0] ?? DEFAULT_POLICIES.SEV1;
}

/** Each of T's properties optional and never undefined: what is left once the undefined ones are dropped. */
type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}
