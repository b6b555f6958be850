// zod/mini's functions, imported as a namespace, let esbuild keep only the schema kinds and checks used here.
import * as z from 'zod/mini';
import '../../../domain/zod-locale.ts';

/**
 * The parts of a PagerDuty v3 webhook we read. Everything else is allowed through untouched, and fields
 * whose values PagerDuty may extend (urgency, status) are read as plain strings: an unexpected value must
 * never turn into a 4xx (three dropped deliveries in a row disable the subscription, docs/architecture.md "Facts that bite").
 */

/** PagerDuty ids are short upper-case tokens ("PGR0VU2"); they become table keys and execution names. */
export const IncidentIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a PagerDuty id (letters, digits, - or _; at most 64)'));

/** A short non-empty string: ids and event types become keys and log fields. */
const token = () => z.string().check(z.minLength(1), z.maxLength(200));

export const EnvelopeSchema = z.looseObject({
  event: z.looseObject({
    id: token(),
    event_type: token(),
    resource_type: z.nullish(z.string()),
    occurred_at: z.nullish(z.string()),
    data: z.looseObject({}),
  }),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;
export type PagerDutyEvent = Envelope['event'];

const reference = z.looseObject({ id: token(), summary: z.nullish(z.string()) });

/** `data` of incident.* events whose data is the incident itself (data.type "incident"). */
export const IncidentDataSchema = z.looseObject({
  id: IncidentIdSchema,
  title: z.nullish(z.string()),
  number: z.nullish(z.number()),
  html_url: z.nullish(z.string()),
  status: z.nullish(z.string()),
  urgency: z.nullish(z.string()),
  priority: z.nullish(z.looseObject({ summary: z.nullish(z.string()) })),
  service: z.nullish(reference),
  created_at: z.nullish(z.string()),
});
export type IncidentData = z.infer<typeof IncidentDataSchema>;

/**
 * `data` of events about something attached to an incident (incident_note, incident_status_update,
 * incident_responder): the incident is a reference under data.incident.
 */
export const AttachedDataSchema = z.looseObject({
  incident: z.looseObject({ id: IncidentIdSchema }),
  content: z.nullish(z.string()),
  message: z.nullish(z.string()),
});
export type AttachedData = z.infer<typeof AttachedDataSchema>;

export function formatIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}
