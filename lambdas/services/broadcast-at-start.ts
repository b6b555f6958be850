import { broadcastIdOf, createBroadcast } from '../adapters/broadcasts.ts';
import { startBroadcastExecution } from '../adapters/stepfunctions.ts';
import { audienceWithIncident } from '../domain/audience.ts';
import { factsOf } from '../domain/draft-for.ts';
import { renderCompanyUpdate } from '../domain/render.ts';
import type { BroadcastRecord } from '../domain/records/broadcast.ts';
import { incidentNow, type IncidentRecord } from '../domain/records/incident.ts';
import type { Roster } from '../domain/roster.ts';

/**
 * A level with `broadcastAtStart` (SEV0: "immediate company broadcast") opens with one company broadcast to
 * every affected account's Slack channel, through the same broadcast machine as `/comms broadcast`, asked
 * for by the incident's CMOC (who gets its progress and summary). The round's owners then ask only for the
 * accounts the broadcast cannot reach, so nobody is told the first update twice.
 *
 * Safe to repeat: the id follows from the incident and the round, the record is stored once and the
 * execution started once, so a retried draft step finds the same broadcast and the same audience.
 */
export async function broadcastAtStart(
  roster: Roster,
  incident: IncidentRecord,
  roundKey: string,
): Promise<{ broadcastId: string; reached: ReadonlySet<string> }> {
  const filter = { incidentId: incident.incidentId };
  const audience = audienceWithIncident(roster, filter, incident, Date.now());
  const broadcastId = broadcastIdOf(`${incident.incidentId}|${roundKey}`);
  const record: BroadcastRecord = {
    broadcastId,
    text: renderCompanyUpdate({
      phase: 'initial',
      incident: factsOf(incident, roster.policy),
      company: roster.company.name,
      ...(roster.policy ? { policy: roster.policy } : {}),
    }),
    filter,
    requestedBy: incident.cmocId,
    reason: `${incident.severity} ${incident.incidentId}`,
    incidentId: incident.incidentId,
    createdAt: incidentNow(incident, Date.now()).toISOString(),
    status: 'requested',
  };
  await createBroadcast(record);
  await startBroadcastExecution(broadcastId);
  return { broadcastId, reached: new Set(audience.targets.map((t) => t.accountId)) };
}
