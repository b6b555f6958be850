import {
  cmocAt,
  severityFromPagerDuty,
  servicesForPagerDuty,
  type PolicyConfig,
} from '../../../domain/index.ts';
import {
  declareIncident,
  executionNameFor,
  recordIncidentFacts,
  signalIncident,
  type Signal,
} from '../../../adapters/incident-lifecycle.ts';
import { findIncident, updateIncident } from '../../../adapters/incidents.ts';
import { reopenIfFinished } from '../../../adapters/incident-reopen.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import type { Roster } from '../../../domain/roster.ts';
import { cmocNow } from '../../../domain/schedule.ts';
import { incidentNow } from '../../../domain/records/incident.ts';
import {
  AttachedDataSchema,
  IncidentDataSchema,
  formatIssues,
  type AttachedData,
  type IncidentData,
  type PagerDutyEvent,
} from './envelope.ts';
import { leadFromAssignees } from './lead.ts';

/** What we report back in the 202 body and the log: useful when reading PagerDuty's delivery log. */
export type EventOutcome = { action: string; incidentId?: string; leadId?: string };

/** Text PagerDuty users type (notes, status updates) is kept short: it is a fact for a draft, not a log. */
export const MAX_UPDATE_CHARS = 2_000;
export const MAX_TITLE_CHARS = 300;

interface Context<D> {
  event: PagerDutyEvent;
  data: D;
  now: Date;
}

/**
 * The event types we act on, and where each carries its incident (PagerDuty v3 "Event Data Types"): events
 * whose data is the incident use data.id; notes, status updates and responder events reference it under
 * data.incident.id. Every other type (pagey.ping, escalations, services …) is answered 2xx and ignored.
 */
type Route =
  | { incidentAt: 'data.id'; act: (ctx: Context<IncidentData>) => Promise<EventOutcome> }
  | { incidentAt: 'data.incident.id'; act: (ctx: Context<AttachedData>) => Promise<EventOutcome> };

const ROUTES: Record<string, Route> = {
  'incident.triggered': { incidentAt: 'data.id', act: triggered },
  'incident.priority_updated': { incidentAt: 'data.id', act: priorityUpdated },
  'incident.resolved': { incidentAt: 'data.id', act: resolved },
  'incident.reopened': { incidentAt: 'data.id', act: reopened },
  'incident.acknowledged': { incidentAt: 'data.id', act: acknowledged },
  'incident.reassigned': { incidentAt: 'data.id', act: reassigned },
  'incident.status_update_published': { incidentAt: 'data.incident.id', act: statusUpdate },
  'incident.annotated': { incidentAt: 'data.incident.id', act: note },
};

/** An event ready to run: its incident is known and its data checked, before anything is written. */
export type Prepared =
  | { kind: 'ignored' }
  | { kind: 'malformed'; error: string }
  | { kind: 'ready'; incidentId: string; run: (now: Date) => Promise<EventOutcome> };

export function prepare(event: PagerDutyEvent): Prepared {
  const route = Object.hasOwn(ROUTES, event.event_type) ? ROUTES[event.event_type] : undefined;
  if (!route) return { kind: 'ignored' };
  if (route.incidentAt === 'data.id') {
    const parsed = IncidentDataSchema.safeParse(event.data);
    if (!parsed.success) return { kind: 'malformed', error: `event.data: ${formatIssues(parsed.error)}` };
    const data = parsed.data;
    return { kind: 'ready', incidentId: data.id, run: (now) => route.act({ event, data, now }) };
  }
  const parsed = AttachedDataSchema.safeParse(event.data);
  if (!parsed.success) return { kind: 'malformed', error: `event.data: ${formatIssues(parsed.error)}` };
  const data = parsed.data;
  return { kind: 'ready', incidentId: data.incident.id, run: (now) => route.act({ event, data, now }) };
}

/** A PagerDuty time, or `fallback` when it is missing or not a time (a NaN date would break the cadence). */
function timeOr(value: string | null | undefined, fallback: Date): string {
  const parsed = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(parsed) ? fallback.toISOString() : new Date(parsed).toISOString();
}

/** The company's priority names (the roster's `policy.pagerduty`) win over PagerDuty's P1–P5 defaults. */
function severityOf(data: IncidentData, config: PolicyConfig | undefined) {
  const urgency = data.urgency === 'high' || data.urgency === 'low' ? data.urgency : null;
  return severityFromPagerDuty({ priority: data.priority?.summary ?? null, urgency }, config);
}

async function triggered({ event, data, now }: Context<IncidentData>): Promise<EventOutcome> {
  const roster = await currentRoster();
  const urgency = data.urgency === 'high' || data.urgency === 'low' ? data.urgency : undefined;
  const outcome = await declareIncident({
    incidentId: data.id,
    title: (data.title?.trim() || `PagerDuty incident ${data.number ?? data.id}`).slice(0, MAX_TITLE_CHARS),
    severity: severityOf(data, roster.policy),
    status: 'triggered',
    services: servicesForPagerDuty(roster, data.service?.id),
    regions: [],
    source: 'pagerduty',
    pagerduty: {
      ...(data.number != null ? { number: data.number } : {}),
      ...(data.html_url ? { htmlUrl: data.html_url } : {}),
      ...(data.service?.id ? { serviceId: data.service.id } : {}),
      ...(data.priority?.summary ? { priority: data.priority.summary } : {}),
      ...(urgency ? { urgency } : {}),
    },
    startedAt: timeOr(data.created_at ?? event.occurred_at, now),
    // The CMOC is activated by being recorded here; telling them is the workflow's first step, so this
    // path stays inside PagerDuty's 5 s with no Slack call.
    cmocId: cmocAt(roster, now).person.id,
    ...leadOf(roster, data),
    executionName: executionNameFor(data.id),
    rounds: 0,
  });
  return { action: outcome === 'started' ? 'started-execution' : 'already-declared', incidentId: data.id };
}

async function priorityUpdated({ event, data, now }: Context<IncidentData>): Promise<EventOutcome> {
  const severity = severityOf(data, (await currentRoster()).policy);
  const current = await findIncident(data.id);
  if (!current) return { action: 'ignored-unknown-incident', incidentId: data.id };
  if (current.severity === severity) return { action: 'severity-unchanged', incidentId: data.id };
  return signal(data.id, {
    eventId: event.id,
    type: 'severity_changed',
    receivedAt: now.toISOString(),
    changes: { severity },
  });
}

async function resolved({ event, data, now }: Context<IncidentData>): Promise<EventOutcome> {
  return signal(data.id, {
    eventId: event.id,
    type: 'resolved',
    receivedAt: now.toISOString(),
    changes: { status: 'resolved', resolvedAt: timeOr(event.occurred_at, now) },
  });
}

/**
 * A reopening while the execution runs is an event for it; once the execution has finished (the incident
 * was resolved and closed), nothing would read the event, so the incident gets a new execution.
 */
async function reopened({ event, data, now }: Context<IncidentData>): Promise<EventOutcome> {
  const outcome = await reopenIfFinished(data.id, {
    eventId: event.id,
    cmocFor: async (incident) =>
      cmocNow(await currentRoster(), incident.cmocId, incidentNow(incident, now.getTime())),
  });
  if (outcome === 'unknown-incident') return { action: 'ignored-unknown-incident', incidentId: data.id };
  if (outcome === 'restarted') return { action: 'restarted-execution', incidentId: data.id };
  if (outcome === 'already-restarted') return { action: 'already-restarted', incidentId: data.id };
  return signal(data.id, {
    eventId: event.id,
    type: 'reopened',
    receivedAt: now.toISOString(),
    changes: { status: 'triggered' },
  });
}

async function acknowledged({ data }: Context<IncidentData>): Promise<EventOutcome> {
  const current = await findIncident(data.id);
  if (!current) return { action: 'ignored-unknown-incident', incidentId: data.id };
  const lead = newLead(leadOf(await currentRoster(), data), current.leadId);
  // An acknowledgement never reopens a resolved incident: only "reopened" does that.
  const acknowledging = current.status === 'triggered';
  await updateIncident(data.id, { ...(acknowledging ? { status: 'acknowledged' as const } : {}), ...lead });
  const action = acknowledging ? 'recorded-acknowledged' : `unchanged-${current.status}`;
  return { action, incidentId: data.id, ...lead };
}

/** Someone else now works the incident: the first assignee the roster knows becomes its lead. */
async function reassigned({ data }: Context<IncidentData>): Promise<EventOutcome> {
  const current = await findIncident(data.id);
  if (!current) return { action: 'ignored-unknown-incident', incidentId: data.id };
  const lead = newLead(leadOf(await currentRoster(), data), current.leadId);
  if (!lead.leadId) return { action: 'lead-unchanged', incidentId: data.id };
  await updateIncident(data.id, lead);
  return { action: 'recorded-lead', incidentId: data.id, ...lead };
}

const leadOf = (roster: Roster, data: IncidentData): { leadId?: string } => {
  const leadId = leadFromAssignees(roster, data);
  return leadId ? { leadId } : {};
};

/** Only a lead that differs from the recorded one is written; assignees the roster doesn't know change nothing. */
const newLead = (found: { leadId?: string }, current: string | undefined): { leadId?: string } =>
  found.leadId && found.leadId !== current ? found : {};

/** A published status update is news for customers: the workflow is woken to send an update. */
async function statusUpdate({ event, data, now }: Context<AttachedData>): Promise<EventOutcome> {
  const text = (data.message ?? data.content ?? '').trim().slice(0, MAX_UPDATE_CHARS);
  if (text === '') return { action: 'ignored-empty-update', incidentId: data.incident.id };
  return signal(data.incident.id, {
    eventId: event.id,
    type: 'engineering_update',
    receivedAt: now.toISOString(),
    changes: { engineeringUpdate: text },
  });
}

/**
 * A note is the responders' running commentary: it becomes the engineering text of the next draft but
 * does not wake the workflow, or every note would send customers an update.
 */
async function note({ data }: Context<AttachedData>): Promise<EventOutcome> {
  const text = (data.content ?? data.message ?? '').trim().slice(0, MAX_UPDATE_CHARS);
  if (text === '') return { action: 'ignored-empty-note', incidentId: data.incident.id };
  const outcome = await recordIncidentFacts(data.incident.id, { engineeringUpdate: text });
  return {
    action: outcome === 'recorded' ? 'recorded-note' : 'ignored-unknown-incident',
    incidentId: data.incident.id,
  };
}

async function signal(incidentId: string, s: Signal): Promise<EventOutcome> {
  const outcome = await signalIncident(incidentId, s);
  if (outcome === 'unknown-incident') return { action: 'ignored-unknown-incident', incidentId };
  return { action: `${s.type}:${outcome}`, incidentId };
}
