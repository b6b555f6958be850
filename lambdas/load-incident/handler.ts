import { policyFor } from '../core/index.ts';
import { getIncident } from '../adapters/incidents.ts';
import { markConsumed } from '../adapters/incident-events.ts';
import { logContext } from '../adapters/logger.ts';
import type { IncidentState, LoadIncidentInput } from '../payloads.ts';

/** How long a severity without a cadence (start and close only) waits before looking again. */
const NO_CADENCE_RECHECK_SECONDS = 24 * 3600;

/**
 * Loads the incident for the workflow and works out when the next update is due. When the workflow has
 * just read an event, this is also where the event is marked consumed (see incident-events.ts).
 */
export const handler = async (input: LoadIncidentInput): Promise<IncidentState> => {
  logContext({ incidentId: input.incidentId });
  if (input.event) await markConsumed(input.incidentId, input.event.eventId);
  const incident = await getIncident(input.incidentId);
  const policy = policyFor(incident.severity);
  const cadenceMinutes = policy.cadenceMinutes;
  let waitSeconds = NO_CADENCE_RECHECK_SECONDS;
  if (cadenceMinutes !== null) {
    const last = Date.parse(incident.lastRoundAt ?? incident.startedAt);
    const due = last + cadenceMinutes * 60_000;
    waitSeconds = Math.max(1, Math.ceil((due - Date.now()) / 1000));
  }
  return {
    incidentId: incident.incidentId,
    severity: incident.severity,
    waitSeconds,
    updatesOnCadence: cadenceMinutes !== null,
  };
};
