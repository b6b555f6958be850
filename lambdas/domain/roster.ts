// zod/mini's functions, imported as a namespace, let esbuild keep only the schema kinds and checks used here.
import * as z from 'zod/mini';
import './zod-locale.ts';
import { nonEmpty } from './zod-parts.ts';
import { RosterError } from './errors.ts';
import { describeZodIssues } from './issues.ts';
import { PolicyConfigSchema } from './policy.ts';
import { policyIssues } from './policy-checks.ts';
import {
  crossReferenceIssues,
  type AccountDraft,
  type PersonDraft,
  type RosterDraft,
} from './roster-checks.ts';

/**
 * The roster: who owns which customer, who covers whom, and how each customer is reached.
 * Ids (people, accounts) are what travels through the workflow; names, emails and numbers are looked up
 * inside the Lambdas and never leave them.
 */
export const REGIONS = ['americas', 'emea', 'apac'] as const;
export type RegionId = (typeof REGIONS)[number];

const id = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
      'must be an id of letters, digits, . _ - (max 64, starting with a letter or digit)',
    ),
  );
const timeZone = z
  .string()
  .check(z.refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/London' }));
const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24 h)'));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'));
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const described = <T extends z.ZodMiniType>(schema: T, description: string): T =>
  schema.check(z.describe(description));

export const WorkingHoursSchema = z.strictObject({
  start: hhmm,
  end: hhmm,
  days: z._default(z.array(weekday).check(z.minLength(1)), ['mon', 'tue', 'wed', 'thu', 'fri']),
});

export const PtoSchema = z.strictObject({ from: isoDate, to: isoDate, note: z.optional(z.string()) });

export const PersonSchema = z.strictObject({
  id,
  name: nonEmpty,
  slackUserId: z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U012ABCDEF')),
  email: z.email(),
  region: z.enum(REGIONS),
  timeZone,
  workingHours: described(
    z.optional(WorkingHoursSchema),
    "The person's own hours, read in their timeZone; default: their region's hours",
  ),
  pto: z._default(z.array(PtoSchema), []),
  avatarUrl: z.optional(z.url()),
  /** Maps PagerDuty's assignees to this person: the assignee becomes the incident's engineering lead. */
  pagerdutyUserId: described(
    z.optional(
      z
        .string()
        .check(
          z.regex(
            /^P[A-Z0-9]{5,13}$/,
            'must be a PagerDuty user id such as PABC123 (P and 5–13 capitals or digits)',
          ),
        ),
    ),
    "The person's PagerDuty user id; when they are assigned an incident they become its engineering lead",
  ),
});

export const RegionSchema = z.strictObject({
  timeZone,
  workingHours: WorkingHoursSchema,
  /** Person ids, in the order they are asked to cover an owner. */
  backups: described(
    z.array(id).check(z.minLength(1)),
    'Person ids of this region, in the order they are asked to cover an owner',
  ),
  /** Person ids on the CMOC rota for this region, in order. */
  cmoc: described(
    z.array(id).check(z.minLength(1)),
    'Person ids of this region on the CMOC rota; the rota turns every Monday (region time)',
  ),
});

export const AccountSchema = z.strictObject({
  id,
  name: nonEmpty,
  ownerId: id,
  tier: z._default(z.enum(['standard', 'high-touch']), 'standard'),
  /** Product services this customer uses (matched against an incident's services). */
  services: described(z.array(nonEmpty).check(z.minLength(1)), 'Product services this customer uses'),
  /** Product regions (data centres) the customer runs in, e.g. "us", "eu". */
  regions: described(z._default(z.array(nonEmpty), []), 'Product regions the customer runs in; empty = all'),
  slackChannelId: z.optional(
    z.string().check(z.regex(/^C[A-Z0-9]{2,}$/, 'must be a Slack channel id such as C012ABCDEF')),
  ),
  emails: z._default(z.array(z.email()), []),
  smsNumbers: z._default(
    z.array(z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550100'))),
    [],
  ),
  /** The customer's own time zone, used for maintenance heads-ups. */
  timeZone: z.optional(timeZone),
  /** Greeting name ("Hey <greeting>,"); defaults to the account name. */
  greeting: z.optional(nonEmpty),
});

export const RosterSchema = z.strictObject({
  /** Lets editors validate the file against config/roster.schema.json. */
  $schema: z.optional(z.string()),
  company: z.strictObject({
    name: nonEmpty,
    /** Slack channel where customer replies to company broadcasts are watched. */
    engagementChannelId: z.optional(z.string()),
  }),
  regions: z.strictObject({ americas: RegionSchema, emea: RegionSchema, apac: RegionSchema }),
  people: z.array(PersonSchema).check(z.minLength(1)),
  accounts: z.array(AccountSchema),
  /** PagerDuty service id → the product services it stands for. */
  pagerdutyServices: described(
    z._default(z.record(z.string(), z.array(nonEmpty).check(z.minLength(1))), {}),
    'PagerDuty service id → the product services it stands for',
  ),
  /**
   * The company's overrides of the handbook's severity policy. It travels in the roster because every Lambda
   * already loads (and caches) the roster: one configuration, one import, no second loader.
   */
  policy: described(
    z.optional(z.omit(PolicyConfigSchema, { $schema: true })),
    "Overrides of the handbook's severity policy and PagerDuty priority mapping (see config/policy.example.json); absent = the defaults",
  ),
});

export type WorkingHours = z.infer<typeof WorkingHoursSchema>;
export type Pto = z.infer<typeof PtoSchema>;
export type Person = z.infer<typeof PersonSchema>;
export type Region = z.infer<typeof RegionSchema>;
export type Account = z.infer<typeof AccountSchema>;
export type Roster = z.infer<typeof RosterSchema>;
/** A roster as written in JSON, before defaults are applied (for fixtures and tools). */
export type RosterInput = z.input<typeof RosterSchema>;

/**
 * Validates a roster (parsed JSON) against the schema and the cross-references between its parts.
 * Throws RosterError listing every problem, each naming the account/person id and field. Every problem
 * means in one run: when the schema fails, the cross-reference checks still run on what did parse, so
 * fixing the first batch never reveals a second.
 */
export function parseRoster(input: unknown): Roster {
  const parsed = RosterSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const draft = salvage(input);
    throw new RosterError([
      ...describeZodIssues(parsed.error.issues, input, 'roster'),
      ...crossReferenceIssues(draft),
      ...(draft.policy ? policyIssues(draft.policy, 'policy.') : []),
    ]);
  }
  const { policy } = parsed.data;
  const issues = [...crossReferenceIssues(parsed.data), ...(policy ? policyIssues(policy, 'policy.') : [])];
  if (issues.length > 0) throw new RosterError(issues);
  return parsed.data;
}

type Loose = Record<string, unknown>;
const isLoose = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** The value when it passes `schema` (defaults applied), else undefined: its own issue names it already. */
function valid<T>(schema: z.ZodMiniType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}
/** Each entry on its own, so one bad entry keeps its index and leaves the others checkable. */
function each<T>(list: unknown, entry: (value: unknown) => T): T[] | undefined {
  return Array.isArray(list) ? list.map(entry) : undefined;
}

/** As much of an invalid roster as passed the schema, field by field, for the cross-reference checks. */
function salvage(input: unknown): RosterDraft & { policy?: Roster['policy'] } {
  if (!isLoose(input)) return {};
  const person = PersonSchema.shape;
  const account = AccountSchema.shape;
  const people = each(input.people, (raw): PersonDraft | undefined =>
    isLoose(raw)
      ? {
          id: typeof raw.id === 'string' ? raw.id : undefined,
          slackUserId: valid(person.slackUserId, raw.slackUserId),
          pagerdutyUserId: valid(person.pagerdutyUserId, raw.pagerdutyUserId),
          region: valid(person.region, raw.region),
          pto: raw.pto === undefined ? [] : each(raw.pto, (range) => valid(PtoSchema, range)),
        }
      : undefined,
  );
  const accounts = each(input.accounts, (raw): AccountDraft | undefined => {
    if (!isLoose(raw)) return undefined;
    const contacts = {
      slackChannelId: valid(account.slackChannelId, raw.slackChannelId),
      emails: valid(account.emails, raw.emails),
      smsNumbers: valid(account.smsNumbers, raw.smsNumbers),
    };
    const invalid = (['slackChannelId', 'emails', 'smsNumbers'] as const).filter(
      (field) => raw[field] !== undefined && contacts[field] === undefined,
    );
    return {
      id: typeof raw.id === 'string' ? raw.id : undefined,
      ownerId: valid(id, raw.ownerId),
      tier: valid(account.tier, raw.tier),
      ...contacts,
      invalid,
    };
  });
  const regions = isLoose(input.regions)
    ? Object.fromEntries(
        REGIONS.map((region) => {
          const raw = (input.regions as Loose)[region];
          const ids = (list: unknown) => each(list, (value) => valid(id, value));
          return [region, isLoose(raw) ? { backups: ids(raw.backups), cmoc: ids(raw.cmoc) } : undefined];
        }),
      )
    : undefined;
  const policy = valid(RosterSchema.shape.policy, input.policy);
  return { people, accounts, regions, ...(policy ? { policy } : {}) };
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}

/** A roster person by id; an unknown id is an error (name kept: workflows catch it by name). */
export function personById(roster: Roster, id: string): Person {
  const person = roster.people.find((p) => p.id === id);
  if (!person) throw new UnknownPersonError(id);
  return person;
}

export function accountById(roster: Roster, id: string): Account {
  const account = roster.accounts.find((a) => a.id === id);
  if (!account) throw new Error(`Account ${id} is not in the roster`);
  return account;
}

export class UnknownPersonError extends Error {
  constructor(id: string) {
    super(`Person ${id} is not in the roster`);
    this.name = 'UnknownPersonError';
  }
}

/** A person's name for a message, or the id itself when the roster no longer has them. */
export const personName = (roster: Roster, id: string | undefined): string =>
  roster.people.find((p) => p.id === id)?.name ?? id ?? 'someone';

/** An account's name for a message, or the id itself when the roster no longer has it. */
export const accountName = (roster: Roster, id: string): string =>
  roster.accounts.find((a) => a.id === id)?.name ?? id;

/** Product services any account uses or any PagerDuty service stands for, as the roster spells them. */
export function knownServices(roster: Roster): string[] {
  const all = [
    ...roster.accounts.flatMap((a) => a.services),
    ...Object.values(roster.pagerdutyServices).flat(),
  ];
  return [...new Set(all)].sort();
}

/** Product regions accounts run in ("us", "eu"). */
export function knownRegions(roster: Roster): string[] {
  return [...new Set(roster.accounts.flatMap((a) => a.regions))].sort();
}
