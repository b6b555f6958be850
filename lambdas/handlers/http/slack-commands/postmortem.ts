import { policyFor, type PolicyConfig } from '../../../domain/index.ts';
import { signalIncident } from '../../../adapters/incident-lifecycle.ts';
import { findIncident, listIncidents } from '../../../adapters/incidents.ts';
import type { IncidentRecord } from '../../../domain/records/incident.ts';
import { ArgumentError, looksLikeIncidentId, splitFirst } from './args.ts';
import type { Subcommand } from './context.ts';
import { eventId } from './signal.ts';

/** Incidents looked through for the one waiting for its write-up. */
const RECENT = 50;

const waitsForWriteUp = (config: PolicyConfig | undefined) => (incident: IncidentRecord) =>
  incident.status === 'resolved' &&
  policyFor(incident.severity, config).postmortemHours !== null &&
  incident.writeUpUrl === undefined;

/**
 * `/comms postmortem [incident-id] <link>`: the write-up is published. The link is written to the incident
 * and handed to its write-up follow-up (a `cmoc_update`), which sends it to every affected customer.
 * Without an id: the latest resolved incident still waiting for its write-up.
 */
export const postmortem: Subcommand = async (ctx, args) => {
  const { first, rest } = splitFirst(args.trim());
  let incident: IncidentRecord | undefined;
  let text = args;
  if (first && !first.startsWith('http') && looksLikeIncidentId(first)) {
    incident = await findIncident(first);
    if (!incident) return `There is no incident ${first}.`;
    text = rest;
  } else {
    incident = (await listIncidents(RECENT)).find(waitsForWriteUp(ctx.roster.policy));
  }
  const link = /https:\/\/[^\s<>|]+/.exec(text)?.[0];
  if (!link) throw new ArgumentError('Give the write-up link, e.g. `/comms postmortem https://…`.');
  if (!incident)
    return 'No resolved incident is waiting for a write-up; name one: `/comms postmortem <incident-id> <link>`.';
  if (incident.writeUpUrl)
    return `${incident.incidentId} already has its write-up (${incident.writeUpUrl}); nothing changed.`;
  if (incident.status !== 'resolved')
    return `${incident.incidentId} is not resolved yet; the write-up follows the resolution. Nothing changed.`;
  const outcome = await signalIncident(incident.incidentId, {
    eventId: eventId(ctx),
    type: 'cmoc_update',
    receivedAt: ctx.now.toISOString(),
    changes: { writeUpUrl: link },
  });
  const when = outcome === 'delivered' ? 'now' : 'as soon as its follow-up reads it';
  return `Write-up recorded for *${incident.incidentId}* (${incident.title}); every affected customer gets it ${when}.`;
};
