import { affectedAccounts, cmocAt, isAvailable, policyFor } from './index.ts';
import type { Account, Roster } from './roster.ts';
import type { IncidentRecord } from './records/incident.ts';
import type { PolicyConfig } from './policy.ts';
import type { Due, EventAct, IncidentEventType, NextStep, Phase, Stage } from '../contract/payloads.ts';
import { headsUpAt } from './maintenance.ts';
import { writeUpLink } from './write-up.ts';

/**
 * The incident's timetable: given what the incident record says and "now" (the incident's clock), what is
 * due next and when. Pure: the Lambdas read the record and call these, so every rule is tested without a
 * server, and the state machine only waits and branches on `due` and `act`.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The longest a wait runs without a reason: the loop looks again at least once a day. */
export const RECHECK_MS = 24 * HOUR;
/** CMOC reminders to confirm customer impact back off to this interval. */
const MAX_REMINDER_INTERVAL_MS = 4 * HOUR;
/** Handoffs are looked for in quarter hours over the next day (working hours are set in minutes). */
const HANDOFF_STEP_MS = 15 * MINUTE;

export interface ScheduleFacts {
  incident: IncidentRecord;
  roster: Roster;
  now: Date;
  /** Accounts already sent a maintenance heads-up in earlier rounds. */
  headsUpSent?: ReadonlySet<string>;
}

interface Candidate {
  due: Due;
  at: number;
}

function choose(stage: Stage, now: Date, candidates: (Candidate | undefined)[], act: EventAct): NextStep {
  const present = candidates.filter((c): c is Candidate => c !== undefined);
  const first = present.reduce<Candidate>((a, b) => (b.at < a.at ? b : a), {
    due: 'recheck',
    at: now.getTime() + RECHECK_MS,
  });
  // Step Functions wants a whole number of seconds of at least 1; rounding up never fires early.
  const waitSeconds = Math.max(1, Math.ceil((first.at - now.getTime()) / 1000));
  return { stage, due: first.due, waitSeconds, act };
}

const closed = (act: EventAct): NextStep => ({ stage: 'closed', due: 'recheck', waitSeconds: 1, act });

/** Where the execution goes first: planned maintenance straight to its timetable, else the CMOC's confirmation. */
export function startStep(facts: ScheduleFacts): NextStep {
  if (facts.incident.maintenance) return stageStep(facts, 'maintenance');
  return stageStep(facts, 'awaiting_cmoc');
}

/** What is due next while staying in `stage`, with nothing to act on now. */
export function stageStep(facts: ScheduleFacts, stage: Stage, act: EventAct = 'wait'): NextStep {
  switch (stage) {
    case 'awaiting_cmoc':
      return choose(stage, facts.now, [confirmation(facts), handoff(facts)], act);
    case 'active':
      return choose(stage, facts.now, [...updates(facts), handoff(facts)], act);
    case 'maintenance':
      return choose(stage, facts.now, maintenance(facts), act);
    case 'postmortem':
      return choose(stage, facts.now, [writeUp(facts)], act);
    case 'closed':
      return closed(act);
  }
}

/** After a round of `phase`: the stage it leads to and what is due there. */
export function afterRound(facts: ScheduleFacts, stage: Stage, phase: Phase): NextStep {
  const policy = policyFor(facts.incident.severity, facts.roster.policy);
  switch (phase) {
    case 'initial':
    case 'update':
      return stageStep(facts, 'active');
    case 'resolution':
      return stageStep(facts, policy.postmortemHours === null ? 'closed' : 'postmortem');
    case 'maintenance-heads-up':
      return stageStep(facts, 'maintenance');
    case 'maintenance-complete':
    case 'postmortem':
      return closed('wait');
    default:
      return stageStep(facts, stage);
  }
}

/**
 * What an event calls for in `stage`. The front door has already written the event's changes to the
 * incident (severity, status, texts, the CMOC's decision), so the record is read as it is now.
 */
export function eventStep(facts: ScheduleFacts, stage: Stage, type: IncidentEventType): NextStep {
  const { incident } = facts;
  const stay = (act: EventAct) => stageStep(facts, stage, act);
  switch (stage) {
    case 'awaiting_cmoc': {
      if (type === 'resolved' || incident.commsDecision === 'no_impact') return closed('close');
      if (incident.commsDecision === 'start') return stageStep(facts, 'active', 'start');
      // A severity raised to one that starts on its own may already be past its hold.
      const held = stay(type === 'engineering_update' ? 'engineering' : 'wait');
      if (held.due === 'start' && held.waitSeconds <= 1) return { ...held, act: 'start' };
      return held;
    }
    case 'active':
      if (type === 'resolved') return stay('resolve');
      if (type === 'severity_changed') return stay('severity');
      if (type === 'engineering_update') return stay(engineeringAct(facts));
      if (type === 'cmoc_update' && updateRequested(incident)) return stay('update');
      return stay('wait');
    case 'maintenance':
      if (type === 'resolved') return (facts.headsUpSent?.size ?? 0) > 0 ? stay('complete') : closed('close');
      return stay('wait');
    case 'postmortem':
      if (incident.writeUpUrl) return stay('writeup');
      if (type === 'engineering_update' && writeUpLink(incident.engineeringUpdate)) return stay('writeup');
      return stay('wait');
    case 'closed':
      return closed('wait');
  }
}

/**
 * Once the CMOC stopped the incident's comms, whatever else is due, the step calls for the stop: the
 * workflow ends wherever it reads `act` next (after a round, after an event).
 */
export function unlessStopped(incident: Pick<IncidentRecord, 'commsStopped'>, step: NextStep): NextStep {
  return incident.commsStopped ? { ...step, act: 'stop' } : step;
}

/**
 * Engineering's news goes to customers at once as a "during" update (handbook: share what we know, when
 * we know it) — unless the severity updates only at start and close, or the last update is so recent
 * (a third of the cadence) that another would crowd customers: then the CMOC is told, and it rides with
 * the next update.
 */
function engineeringAct({ incident, roster, now }: ScheduleFacts): EventAct {
  const cadence = policyFor(incident.severity, roster.policy).cadenceMinutes;
  if (cadence === null) return 'engineering';
  const last = incident.lastRoundAt === undefined ? undefined : Date.parse(incident.lastRoundAt);
  if (last !== undefined && now.getTime() - last < (cadence / 3) * MINUTE) return 'engineering';
  return 'update';
}

function updateRequested(incident: IncidentRecord): boolean {
  const asked = incident.updateRequestedAt;
  return asked !== undefined && (incident.lastRoundAt === undefined || asked > incident.lastRoundAt);
}

function time(iso: string | undefined, fallback: Date): number {
  const parsed = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(parsed) ? fallback.getTime() : parsed;
}

/** SEV1 starts on its own after its hold; the others wait for the CMOC, who is reminded with back-off. */
function confirmation({ incident, roster, now }: ScheduleFacts): Candidate {
  const policy = policyFor(incident.severity, roster.policy);
  const asked = time(incident.commsAskedAt, now);
  const hold = policy.autoStartAfterMinutes * MINUTE;
  if (policy.autoStart) return { due: 'start', at: asked + hold };
  let at = asked;
  let interval = Math.max(hold, MINUTE);
  for (let i = 0; i < 1000 && at <= now.getTime(); i++) {
    at += interval;
    interval = Math.min(interval * 2, MAX_REMINDER_INTERVAL_MS);
  }
  return { due: 'remind_cmoc', at };
}

/** The severity's cadence from the last round, or at once when the CMOC asked for an update. */
function updates({ incident, roster, now }: ScheduleFacts): (Candidate | undefined)[] {
  const cadenceDue = cadenceAfter(incident, roster.policy, time(incident.lastRoundAt, now));
  return [
    updateRequested(incident) ? { due: 'update', at: now.getTime() } : undefined,
    cadenceDue === undefined ? undefined : { due: 'update', at: cadenceDue },
  ];
}

/**
 * When the next update on the level's cadence is due: its cadence after the last round. Undefined before
 * the first round (nothing promised a next one yet) and for a level without a cadence. The CMOC's notices
 * and the incident channel's pinned status read it here; the timetable counts from the same cadence.
 */
export function nextUpdateAt(
  incident: Pick<IncidentRecord, 'severity' | 'lastRoundAt'>,
  config: PolicyConfig | undefined,
): number | undefined {
  const last = incident.lastRoundAt === undefined ? Number.NaN : Date.parse(incident.lastRoundAt);
  return Number.isNaN(last) ? undefined : cadenceAfter(incident, config, last);
}

/** The level's cadence after `since`; undefined for a level without one. */
function cadenceAfter(
  incident: Pick<IncidentRecord, 'severity'>,
  config: PolicyConfig | undefined,
  since: number,
): number | undefined {
  const cadence = policyFor(incident.severity, config).cadenceMinutes;
  return cadence === null ? undefined : since + cadence * MINUTE;
}

/** Heads-ups per customer time zone while the window has not ended, then the completion at its end. */
function maintenance(facts: ScheduleFacts): Candidate[] {
  const window = facts.incident.maintenance;
  if (!window) return [];
  const end = time(window.end, facts.now);
  const pending = headsUpPending(facts);
  const candidates: Candidate[] = [{ due: 'completion', at: end }];
  if (pending.length > 0 && facts.now.getTime() < end) {
    const first = Math.min(...pending.map((p) => p.at));
    candidates.push({ due: 'heads_up', at: Math.max(first, facts.now.getTime()) });
  }
  return candidates;
}

/** Accounts that still need their heads-up, each with the moment it is due. */
export function headsUpPending(facts: ScheduleFacts): { account: Account; at: number }[] {
  const { incident, roster } = facts;
  const window = incident.maintenance;
  if (!window) return [];
  const sent = facts.headsUpSent ?? new Set<string>();
  return affectedAccounts(roster, { services: incident.services, regions: window.regions })
    .filter((account) => !sent.has(account.id))
    .map((account) => ({ account, at: headsUpAt(new Date(window.start), account.timeZone ?? 'UTC') }));
}

/**
 * The write-up promise (handbook: "full write-up within 48 hours"): the engineering lead is reminded at
 * half the time and 8 hours before it is due, the CMOC is alerted when it is overdue and again a day
 * later, and the follow-up gives up after a week.
 */
export function writeUpTimetable(resolvedAt: number, hours: number): Candidate[] {
  return [
    { due: 'remind_lead', at: resolvedAt + (hours / 2) * HOUR },
    { due: 'remind_lead', at: resolvedAt + Math.max(hours / 2, hours - 8) * HOUR },
    { due: 'writeup_overdue', at: resolvedAt + hours * HOUR },
    { due: 'writeup_overdue', at: resolvedAt + (hours + 24) * HOUR },
    { due: 'writeup_given_up', at: resolvedAt + Math.max(7 * 24, hours + 48) * HOUR },
  ].filter((c, i, all) => i === 0 || c.at > all[i - 1]!.at) as Candidate[];
}

function writeUp({ incident, roster, now }: ScheduleFacts): Candidate {
  const hours = policyFor(incident.severity, roster.policy).postmortemHours ?? 48;
  const resolved = time(incident.resolvedAt, now);
  const timetable = writeUpTimetable(resolved, hours);
  return timetable.find((c) => c.at > now.getTime()) ?? { due: 'writeup_given_up', at: now.getTime() };
}

/**
 * The next moment the CMOC may need handing over: when the current CMOC's working hours end (or PTO
 * starts), or — when they are already off — when someone on a rota is back in working hours.
 */
export function nextHandoffAt(roster: Roster, cmocId: string, now: Date): number | undefined {
  const cmoc = roster.people.find((p) => p.id === cmocId);
  if (!cmoc) return undefined;
  const onNow = isAvailable(cmoc, now, roster).available;
  const first = Math.ceil((now.getTime() + 1) / HANDOFF_STEP_MS) * HANDOFF_STEP_MS;
  for (let at = first; at <= now.getTime() + RECHECK_MS; at += HANDOFF_STEP_MS) {
    const moment = new Date(at);
    if (onNow) {
      if (!isAvailable(cmoc, moment, roster).available) return at;
    } else {
      const next = cmocAt(roster, moment);
      if (next.inHours && next.person.id !== cmocId) return at;
    }
  }
  return undefined;
}

function handoff({ incident, roster, now }: ScheduleFacts): Candidate | undefined {
  const at = nextHandoffAt(roster, incident.cmocId, now);
  return at === undefined ? undefined : { due: 'handoff', at };
}

/**
 * Who should be CMOC now: the current one while they can act; otherwise whoever the rota says, if that
 * person is in working hours (when nobody is, the current CMOC keeps it rather than waking someone).
 */
export function cmocNow(roster: Roster, currentId: string, now: Date): string {
  const current = roster.people.find((p) => p.id === currentId);
  if (current && isAvailable(current, now, roster).available) return currentId;
  try {
    const next = cmocAt(roster, now);
    return next.inHours ? next.person.id : currentId;
  } catch {
    return currentId;
  }
}
