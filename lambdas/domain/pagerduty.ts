// zod/mini's functions, imported as a namespace, let esbuild keep only the schema kinds and checks used here.
import * as z from 'zod/mini';
import './zod-locale.ts';
import { nonEmpty } from './zod-parts.ts';
import { servicesForPagerDuty } from './affected.ts';
import type { IncidentFacts } from './incident.ts';
import { describeZodIssues } from './issues.ts';
import { severityFromPagerDuty, type PolicyConfig } from './policy.ts';
import type { Roster } from './roster.ts';
import { ifDefined } from './optional.ts';

/**
 * The parts of a PagerDuty v3 webhook event the product reads. Unknown fields are kept out of the way
 * (PagerDuty adds fields over time); only what is used is required.
 *
 * Built on the first parse, not at load: only the CLI parses whole events, and esbuild keeps every
 * top-level schema of a module it bundles, so every Lambda bundling this one built them at its cold start.
 */
function eventSchemas() {
  const Ref = z.looseObject({ id: nonEmpty, summary: z.optional(z.string()) });
  return {
    Incident: z.looseObject({
      id: nonEmpty,
      type: z.literal('incident'),
      number: z.optional(z.number()),
      title: z.string(),
      status: z.string(),
      html_url: z.optional(z.string()),
      created_at: z.string(),
      service: Ref,
      priority: z.optional(z.nullable(Ref)),
      urgency: z.optional(z.nullable(z.enum(['high', 'low']))),
    }),
    // incident.annotated, status_update_published, responder and task events carry the incident as a reference.
    Referencing: z.looseObject({
      type: z.string(),
      incident: Ref,
      message: z.optional(z.string()),
      content: z.optional(z.string()),
    }),
    Envelope: z.looseObject({
      event: z.looseObject({
        id: nonEmpty,
        event_type: nonEmpty,
        resource_type: z.string(),
        occurred_at: z.string(),
        data: z.looseObject({ type: z.string() }),
      }),
    }),
  };
}
let schemas: ReturnType<typeof eventSchemas> | undefined;

export interface PagerDutyIncident {
  id: string;
  number?: number;
  title: string;
  status: string;
  htmlUrl?: string;
  createdAt: string;
  serviceId: string;
  serviceName?: string;
  priority: string | null;
  urgency: 'high' | 'low' | null;
}

export interface PagerDutyEvent {
  eventId: string;
  eventType: string;
  occurredAt: string;
  incidentId: string;
  /** Present when the event's data is the incident itself (triggered, resolved, priority_updated, …). */
  incident?: PagerDutyIncident;
  /** A status update's message or a note's content. */
  text?: string;
}

export class PagerDutyEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PagerDutyEventError';
  }
}

export function parsePagerDutyEvent(input: unknown): PagerDutyEvent {
  schemas ??= eventSchemas();
  const envelope = schemas.Envelope.safeParse(input, { reportInput: true });
  if (!envelope.success) throw invalid(envelope.error.issues, input);
  const { event } = envelope.data;
  const base = { eventId: event.id, eventType: event.event_type, occurredAt: event.occurred_at };
  const prefix = (issues: readonly z.core.$ZodIssue[]) =>
    issues.map((issue) => ({ ...issue, path: ['event', 'data', ...issue.path] }));
  if (event.data.type !== 'incident') {
    const ref = schemas.Referencing.safeParse(event.data, { reportInput: true });
    if (!ref.success) throw invalid(prefix(ref.error.issues), input);
    return {
      ...base,
      incidentId: ref.data.incident.id,
      ...ifDefined('text', ref.data.message ?? ref.data.content),
    };
  }
  const parsed = schemas.Incident.safeParse(event.data, { reportInput: true });
  if (!parsed.success) throw invalid(prefix(parsed.error.issues), input);
  const incident = parsed.data;
  return {
    ...base,
    incidentId: incident.id,
    incident: {
      id: incident.id,
      ...ifDefined('number', incident.number),
      title: incident.title,
      status: incident.status,
      ...ifDefined('htmlUrl', incident.html_url),
      createdAt: incident.created_at,
      serviceId: incident.service.id,
      ...ifDefined('serviceName', incident.service.summary),
      priority: incident.priority?.summary ?? null,
      urgency: incident.urgency ?? null,
    },
  };
}

function invalid(issues: readonly z.core.$ZodIssue[], input: unknown): PagerDutyEventError {
  const problems = describeZodIssues(issues, input, 'event').map((i) => i.message);
  return new PagerDutyEventError(`Not a PagerDuty v3 incident event: ${problems.join('; ')}`);
}

/** The facts a template needs, from an incident event and the roster's PagerDuty service map. */
export function incidentFactsFromPagerDuty(
  event: PagerDutyEvent & { incident: PagerDutyIncident },
  roster: Roster,
  config: PolicyConfig | undefined = roster.policy,
): IncidentFacts {
  const { incident } = event;
  return {
    id: incident.id,
    title: incident.title,
    severity: severityFromPagerDuty({ priority: incident.priority, urgency: incident.urgency }, config),
    services: servicesForPagerDuty(roster, incident.serviceId),
    startedAt: incident.createdAt,
    ...(incident.status === 'resolved' ? { resolvedAt: event.occurredAt } : {}),
  };
}
