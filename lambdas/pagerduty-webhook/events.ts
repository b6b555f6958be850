import { cmocAt, severityFromPagerDuty, servicesForPagerDuty } from '../core/index.ts';
import { dynamodb } from '../adapters/dynamodb.ts';
import { tableName } from '../adapters/env.ts';
import {
  declareIncident,
  executionNameFor,
  signalIncident,
  type Signal,
} from '../adapters/incident-lifecycle.ts';
import { updateIncident, findIncident } from '../adapters/incidents.ts';
import { loadRoster } from '../adapters/roster-store.ts';
import { IncidentDataSchema, NestedIncidentSchema, formatIssues, type Envelope } from './envelope.ts';

export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

/** The outcome we report back in the 202 body and the log: useful when reading PagerDuty's delivery log. */
export type EventOutcome = { action: string; incidentId?: string };

type PdEvent = Envelope['event'];

export async function handleEvent(event: PdEvent, now: Date): Promise<EventOutcome> {
  switch (event.event_type) {
    case 'incident.triggered':
      return triggered(event, now);
    case 'incident.priority_updated':
      return priorityUpdated(event, now);
    case 'incident.annotated':
    case 'incident.status_update_published':
      return engineeringUpdate(event, now);
    case 'incident.resolved':
      return simple(event, now, 'resolved', {
        status: 'resolved',
        resolvedAt: event.occurred_at ?? now.toISOString(),
      });
    case 'incident.reopened':
      return simple(event, now, 'reopened', { status: 'triggered' });
    case 'incident.acknowledged': {
      const incidentId = incidentData(event).id;
      if (!(await findIncident(incidentId))) return { action: 'ignored-unknown-incident', incidentId };
      await updateIncident(incidentId, { status: 'acknowledged' });
      return { action: 'recorded-acknowledged', incidentId };
    }
    default:
      // Answer 2xx to everything we don't act on: any other 4xx counts towards disabling the subscription.
      return { action: `ignored:${event.event_type}` };
  }
}

function incidentData(event: PdEvent) {
  const parsed = IncidentDataSchema.safeParse(event.data);
  if (!parsed.success) throw new MalformedEventError(`event.data: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

async function triggered(event: PdEvent, now: Date): Promise<EventOutcome> {
  const data = incidentData(event);
  const roster = await loadRoster({ tableName: tableName(), dynamodb });
  const startedAt = data.created_at ?? event.occurred_at ?? now.toISOString();
  const outcome = await declareIncident({
    incidentId: data.id,
    title: data.title ?? `PagerDuty incident ${data.number ?? data.id}`,
    severity: severityFromPagerDuty({
      priority: data.priority?.summary ?? null,
      urgency: data.urgency ?? null,
    }),
    status: 'triggered',
    services: servicesForPagerDuty(roster, data.service?.id),
    regions: [],
    source: 'pagerduty',
    pagerduty: {
      number: data.number,
      htmlUrl: data.html_url,
      serviceId: data.service?.id,
      priority: data.priority?.summary,
      urgency: data.urgency ?? undefined,
    },
    startedAt,
    cmocId: cmocAt(roster, now).person.id,
    executionName: executionNameFor(data.id),
    rounds: 0,
  });
  return {
    action: outcome === 'started' ? 'started-execution' : 'execution-already-running',
    incidentId: data.id,
  };
}

async function priorityUpdated(event: PdEvent, now: Date): Promise<EventOutcome> {
  const data = incidentData(event);
  const severity = severityFromPagerDuty({
    priority: data.priority?.summary ?? null,
    urgency: data.urgency ?? null,
  });
  const current = await findIncident(data.id);
  if (current && current.severity === severity) return { action: 'severity-unchanged', incidentId: data.id };
  return signal(data.id, {
    eventId: event.id,
    type: 'severity_changed',
    receivedAt: now.toISOString(),
    changes: { severity },
  });
}

async function engineeringUpdate(event: PdEvent, now: Date): Promise<EventOutcome> {
  const parsed = NestedIncidentSchema.safeParse(event.data);
  if (!parsed.success) throw new MalformedEventError(`event.data: ${formatIssues(parsed.error)}`);
  const text = (parsed.data.message ?? parsed.data.content ?? '').trim();
  if (text === '') return { action: 'ignored-empty-update', incidentId: parsed.data.incident.id };
  return signal(parsed.data.incident.id, {
    eventId: event.id,
    type: 'engineering_update',
    receivedAt: now.toISOString(),
    changes: { engineeringUpdate: text.slice(0, 2_000) },
  });
}

async function simple(
  event: PdEvent,
  now: Date,
  type: Signal['type'],
  changes: Signal['changes'],
): Promise<EventOutcome> {
  const data = incidentData(event);
  return signal(data.id, { eventId: event.id, type, receivedAt: now.toISOString(), changes });
}

async function signal(incidentId: string, s: Signal): Promise<EventOutcome> {
  const outcome = await signalIncident(incidentId, s);
  return { action: `${s.type}:${outcome}`, incidentId };
}
