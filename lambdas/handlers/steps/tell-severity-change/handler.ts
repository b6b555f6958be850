import { refreshIncidentChannel } from '../../../services/incident-channel.ts';
import { affectedAccounts, ownersOf, policyFor } from '../../../domain/index.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import { logContext } from '../../../adapters/logger.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { personById } from '../../../domain/roster.ts';
import type { TellOwnersInput } from '../../../contract/payloads.ts';
import { dmOnce } from '../../../services/dm-once.ts';
import { severityChanged } from '../../../messages/severity-change.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/**
 * A severity change, told to the people it changes things for: every owner with affected accounts and
 * the CMOC hear the new level and cadence before the next draft reaches them. Each person once per
 * change, however often the step runs (services/dm-once.ts).
 */
export const handler = lambdaHandler(async (input: TellOwnersInput): Promise<{ told: number }> => {
  logContext({ incidentId: input.incidentId });
  const incident = await getIncident(input.incidentId);
  const roster = await currentRoster();
  const policy = policyFor(incident.severity, roster.policy);
  const owners = ownersOf(
    affectedAccounts(roster, { services: incident.services, regions: incident.regions }),
  );
  const text = severityChanged(incident, policy);
  const people = new Set([...owners.keys(), incident.cmocId]);
  for (const id of people) {
    const key = `severity:${incident.incidentId}:${input.eventId}:${id}`;
    await dmOnce(key, personById(roster, id).slackUserId, { text });
  }
  // The incident channel's pinned status shows the new level (and when the next update is now due).
  await refreshIncidentChannel(input.incidentId);
  return { told: people.size };
});
