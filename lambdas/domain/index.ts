/**
 * The handbook as code: severity policy, templates, tone check, roster, follow-the-sun.
 * Pure and synchronous: no I/O, no AWS types, no clock (callers pass `at`).
 */
export { PHASES } from '../contract/payloads.ts';
export type { Phase, Severity } from '../contract/payloads.ts';
export { CHANNELS, DEFAULT_POLICIES, DEFAULT_SEVERITIES } from './severity.ts';
export type { Channel, SeverityPolicy } from './severity.ts';
export {
  findLevel,
  ladderOf,
  levelNames,
  maintenanceLevel,
  policyFor,
  promisesNextUpdate,
} from './ladder.ts';

export {
  DEFAULT_PAGERDUTY_PRIORITIES,
  DEFAULT_WITHOUT_PRIORITY,
  PolicyConfigSchema,
  severityFromPagerDuty,
} from './policy.ts';
export { parsePolicyConfig } from './policy-checks.ts';
export type { PolicyConfig, SeverityOverride } from './policy.ts';

export { CoverageError, PolicyError, RosterError, TemplateError } from './errors.ts';
export type { ValidationIssue } from './errors.ts';

export {
  AccountSchema,
  PersonSchema,
  PtoSchema,
  REGIONS,
  RegionSchema,
  RosterSchema,
  WorkingHoursSchema,
  isTimeZone,
  parseRoster,
  personById,
  accountById,
  personName,
  accountName,
  UnknownPersonError,
} from './roster.ts';
export type { Account, Person, Pto, Region, RegionId, Roster, RosterInput, WorkingHours } from './roster.ts';
export { rosterJsonSchema } from './roster-json-schema.ts';

export type { IncidentFacts, RenderedMessage, Sender, TemplateId } from './incident.ts';
export { renderCompanyUpdate, renderUpdate } from './render.ts';
export type { RenderInput } from './render.ts';
export { chooseTemplate } from './templates.ts';
export { unfilledPlaceholders } from './placeholders.ts';
export { MAX_SMS_SEGMENTS, smsSize, toGsmFriendly } from './sms.ts';
export type { SmsSize } from './sms.ts';

export { checkTone } from './tone.ts';
export type { ToneContext, ToneFinding } from './tone.ts';
export { TONE_RULES } from './tone-rules.ts';
export type { ToneRule, ToneRuleId } from './tone-rules.ts';

export { affectedAccounts, channelsFor, ownersOf, servicesForPagerDuty } from './affected.ts';
export type { AffectedQuery, ChannelChoice } from './affected.ts';

export {
  DEFAULT_WORKING_HOURS,
  backupCandidates,
  backupFor,
  cmocAt,
  isAvailable,
  regionsByCoverage,
  withinHours,
} from './follow-the-sun.ts';
export type { Availability, CmocChoice, RegionClock } from './follow-the-sun.ts';
export { formatClock, formatDayClock, localTime } from './zoned-time.ts';
export type { LocalTime } from './zoned-time.ts';

export { PagerDutyEventError, incidentFactsFromPagerDuty, parsePagerDutyEvent } from './pagerduty.ts';
export type { PagerDutyEvent, PagerDutyIncident } from './pagerduty.ts';

export { coverReason, presenceWanted, whoIsAsked } from './who-is-asked.ts';
export type { AskReason, AskStep, Presence, WhoIsAsked, WhoIsAskedInput } from './who-is-asked.ts';

export { planIncident } from './plan.ts';
export type { IncidentPlan, OwnerPlan, PlanInput, PlanStep } from './plan.ts';
