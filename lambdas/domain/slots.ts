import type { IncidentFacts, Sender } from './incident.ts';
import type { SeverityPolicy } from './severity.ts';
import type { Phase } from '../contract/payloads.ts';
import {
  capitalise,
  clause,
  displayService,
  durationText,
  every,
  humanList,
  sentenceOf,
  within,
} from './wording.ts';
import { formatClock, formatDay, formatSpan } from './zoned-time.ts';

/** A template's placeholder values; undefined = unknown (a template that needs it cannot render). */
export type Slots = Readonly<Record<string, string | undefined>>;

/** What to supply when a slot is missing, for the TemplateError message. */
export const SLOT_SOURCES: Readonly<Record<string, string>> = {
  company: 'company',
  sender: 'sender.name',
  greeting: 'account.name',
  feature: 'incident.feature or incident.services',
  Feature: 'incident.feature or incident.services',
  title: 'incident.title',
  started: 'incident.startedAt',
  startedDay: 'incident.startedAt',
  resolvedTime: 'incident.resolvedAt',
  duration: 'incident.resolvedAt',
  durationShort: 'incident.resolvedAt',
  impact: 'incident.impact',
  window: 'incident.maintenance',
  system: 'incident.maintenance.system',
  writeUpUrl: 'incident.writeUpUrl',
  recurred: 'incident.recurred',
  every: 'a cadence (policy cadenceMinutes or incident.nextUpdateMinutes)',
  within: 'a cadence (policy cadenceMinutes or incident.nextUpdateMinutes)',
};

export interface SlotInput {
  phase: Phase;
  incident: IncidentFacts;
  account: { name: string; greeting?: string };
  sender: Sender;
  company: string;
  timeZone: string;
  policy: SeverityPolicy;
}

export function buildSlots({
  phase,
  incident,
  account,
  sender,
  company,
  timeZone,
  policy,
}: SlotInput): Slots {
  const text = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);
  const services = incident.services.filter((s) => s.trim()).map(displayService);
  const feature = text(incident.feature) ?? text(humanList(services));
  const were = !text(incident.feature) && services.length > 1 ? 'were' : 'was';
  const started = validDate(incident.startedAt);
  const resolved = validDate(incident.resolvedAt);
  // Whole minutes of the clock times shown, so "15:10–16:47" never reads as "1 h 38 min".
  const length = started && resolved ? durationText(floorMinute(resolved) - floorMinute(started)) : undefined;
  const symptom = text(incident.symptom) && clause(incident.symptom ?? '');
  const cadence = nextUpdateMinutes(incident, policy);
  const maintenance = incident.maintenance;
  const windowFrom = validDate(maintenance?.start);
  const windowTo = validDate(maintenance?.end);
  return {
    company: text(company),
    sender: text(sender.name),
    greeting: text(account.greeting) ?? text(account.name),
    feature,
    Feature: feature && capitalise(feature),
    title: text(incident.title) && clause(incident.title),
    symptom,
    // Without a stated impact, say what we know for certain: what was affected and for how long.
    impact:
      (text(incident.impact) && clause(capitalise(incident.impact ?? ''))) ??
      (symptom
        ? capitalise(symptom)
        : feature && length
          ? `${capitalise(feature)} ${were} disrupted for ${length}`
          : undefined),
    rootCause: text(incident.rootCause) && clause(incident.rootCause ?? ''),
    update: text(incident.engineeringUpdate) && sentenceOf(incident.engineeringUpdate ?? ''),
    every: cadence === undefined ? undefined : every(cadence),
    within: cadence === undefined ? undefined : within(cadence),
    everyShort: cadence === undefined ? undefined : every(cadence, true),
    withinShort: cadence === undefined ? undefined : within(cadence, true),
    started: started && formatClock(started, timeZone),
    startedDay: started && formatDay(started, timeZone),
    resolvedTime: resolved && formatClock(resolved, timeZone),
    duration: started && resolved && `${formatSpan(started, resolved, timeZone)} (${length})`,
    durationShort: length,
    window:
      windowFrom &&
      windowTo &&
      `from ${formatSpan(windowFrom, windowTo, timeZone, true).replace(/\s*–\s*/, ' to ')}`,
    system: text(maintenance?.system) ?? (phase === 'maintenance-complete' ? feature : undefined),
    writeUpUrl: text(incident.writeUpUrl),
    recurred: incident.recurred === true ? 'yes' : undefined,
    postmortemHours: policy.postmortemHours === null ? undefined : String(policy.postmortemHours),
  };
}

/**
 * A level with a cadence always promises the next update (ladder.ts promisesNextUpdate, and the tone check
 * requires it), so an explicit null falls back to the cadence; a level without one (SEV3, SEV4) updates at
 * start and close only. The retrospective reads the same minutes as what an update promised.
 */
export function nextUpdateMinutes(incident: IncidentFacts, policy: SeverityPolicy): number | undefined {
  const requested = incident.nextUpdateMinutes;
  if (typeof requested === 'number' && requested > 0) return requested;
  return policy.cadenceMinutes ?? undefined;
}

function validDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function floorMinute(date: Date): number {
  return Math.floor(date.getTime() / 60_000) * 60_000;
}
