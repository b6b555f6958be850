// A namespace import lets esbuild drop the parts of zod we don't use (the named `z` export keeps all of it).
import * as z from 'zod';

/**
 * The parts of a PagerDuty v3 webhook we read. Everything else is allowed through untouched: PagerDuty
 * adds fields over time and an unknown field must never turn into a 4xx (three of those disable the
 * subscription, DESIGN §8).
 */
const reference = z.looseObject({ id: z.string().min(1), summary: z.string().optional() });

export const EnvelopeSchema = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string().optional(),
    occurred_at: z.string().optional(),
    data: z.looseObject({}),
  }),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export const IncidentDataSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().optional(),
  title: z.string().optional(),
  number: z.number().optional(),
  html_url: z.string().optional(),
  status: z.string().optional(),
  urgency: z.enum(['high', 'low']).nullish(),
  priority: z.looseObject({ summary: z.string().optional() }).nullish(),
  service: reference.nullish(),
  created_at: z.string().optional(),
});
export type IncidentData = z.infer<typeof IncidentDataSchema>;

/** annotated / status_update_published / responder / task events carry the incident under data.incident. */
export const NestedIncidentSchema = z.looseObject({
  incident: reference,
  content: z.string().optional(),
  message: z.string().optional(),
});

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}
