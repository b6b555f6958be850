// A namespace import lets esbuild drop the parts of zod we don't use (the named `z` export keeps all of it).
import * as z from 'zod';

/**
 * The parts of a PagerDuty v3 webhook we read. Everything else is allowed through untouched, and fields
 * whose values PagerDuty may extend (urgency, status) are read as plain strings: an unexpected value must
 * never turn into a 4xx (three dropped deliveries in a row disable the subscription, docs/architecture.md "Facts that bite").
 */

/** PagerDuty ids are short upper-case tokens ("PGR0VU2"); they become table keys and execution names. */
export const IncidentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a PagerDuty id (letters, digits, - or _; at most 64)');

export const EnvelopeSchema = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1).max(200),
    event_type: z.string().min(1).max(200),
    resource_type: z.string().nullish(),
    occurred_at: z.string().nullish(),
    data: z.looseObject({}),
  }),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;
export type PagerDutyEvent = Envelope['event'];

const reference = z.looseObject({ id: z.string().min(1).max(200), summary: z.string().nullish() });

/** `data` of incident.* events whose data is the incident itself (data.type "incident"). */
export const IncidentDataSchema = z.looseObject({
  id: IncidentIdSchema,
  title: z.string().nullish(),
  number: z.number().nullish(),
  html_url: z.string().nullish(),
  status: z.string().nullish(),
  urgency: z.string().nullish(),
  priority: z.looseObject({ summary: z.string().nullish() }).nullish(),
  service: reference.nullish(),
  created_at: z.string().nullish(),
});
export type IncidentData = z.infer<typeof IncidentDataSchema>;

/**
 * `data` of events about something attached to an incident (incident_note, incident_status_update,
 * incident_responder): the incident is a reference under data.incident.
 */
export const AttachedDataSchema = z.looseObject({
  incident: z.looseObject({ id: IncidentIdSchema }),
  content: z.string().nullish(),
  message: z.string().nullish(),
});
export type AttachedData = z.infer<typeof AttachedDataSchema>;

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}
