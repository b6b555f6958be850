import { startIncidentExecution } from './stepfunctions.ts';
import { createIncident, findIncident, listIncidents, updateIncident } from './incidents.ts';
import { isOpenIncident, type IncidentRecord } from '../domain/records/incident.ts';
import { deliverPending, enqueueEvent } from './incident-events.ts';
import { logger } from './logger.ts';
import { countIncidentOpened, countIncidentResolved, gaugeIncidentsOpen } from './metrics.ts';
import type { IncidentEventType } from '../contract/payloads.ts';

/**
 * What the front doors (PagerDuty webhook, /comms) do to an incident. Both go through here, so an incident
 * declared in Slack behaves exactly like one from PagerDuty.
 */

export { executionNameFor } from '../contract/execution-names.ts';

/** `started`: this call created the incident; `already-declared`: it existed (a retry or a second trigger). */
export type DeclareOutcome = 'started' | 'already-declared';

/**
 * Records the incident and starts its one execution. Safe to repeat: the record is written once and the
 * execution name is fixed, so a retry after a crash between the two starts the execution it missed.
 */
export async function declareIncident(incident: IncidentRecord): Promise<DeclareOutcome> {
  const created = await createIncident(incident);
  const stored = created ? incident : await findIncident(incident.incidentId);
  const name = stored?.executionName ?? incident.executionName;
  if (await startIncidentExecution(incident.incidentId, name)) {
    logger.info('incident execution started', { incidentId: incident.incidentId, executionName: name });
    // Counted by the call that started the execution (once, whichever retry it is), and only after it:
    // the gauge's read of the latest incidents is no reason to keep the first DMs waiting.
    await countOpenIncidents('opened', stored ?? incident);
  }
  return created ? 'started' : 'already-declared';
}

export interface Signal {
  /** Unique per event: a repeat with the same id is recognised and changes nothing. */
  eventId: string;
  type: IncidentEventType;
  receivedAt: string;
  /** Incident fields this event changes (severity, status, engineering update text …). */
  changes?: Parameters<typeof updateIncident>[1];
}

export type SignalOutcome = 'delivered' | 'queued' | 'duplicate' | 'unknown-incident' | 'already-resolved';

/**
 * Applies an event's changes, queues it for the execution and hands it over if the execution is parked
 * (incident-events.ts). A second "resolved" for a resolved incident is dropped: the execution has already
 * taken (or will take) the resolution path once, and a second would never be read.
 */
export async function signalIncident(
  incidentId: string,
  signal: Signal,
  /** The incident as the caller has just read it, which saves reading it again. */
  read?: IncidentRecord,
): Promise<SignalOutcome> {
  const incident = read ?? (await findIncident(incidentId));
  if (!incident) return 'unknown-incident';
  if (signal.type === 'resolved' && incident.status === 'resolved') return 'already-resolved';
  if (signal.changes) await updateIncident(incidentId, signal.changes);
  if (signal.type === 'resolved' && signal.changes?.status === 'resolved')
    await countOpenIncidents('resolved', { ...incident, ...signal.changes });
  const fresh = await enqueueEvent(incidentId, signal);
  const handed = await deliverPending(incidentId);
  if (!fresh) return 'duplicate';
  return handed === 'delivered' ? 'delivered' : 'queued';
}

/** Facts for the next draft that need no immediate action (a PagerDuty note). */
export async function recordIncidentFacts(
  incidentId: string,
  changes: Parameters<typeof updateIncident>[1],
): Promise<'recorded' | 'unknown-incident'> {
  if (!(await findIncident(incidentId))) return 'unknown-incident';
  await updateIncident(incidentId, changes);
  return 'recorded';
}

/**
 * Counts an incident opened or resolved, and how many are open now: the latest incidents (the same 50
 * `/comms` looks through for "the only open one") with the one just changed as it is now, since the
 * index may not show the change yet. A metric never fails the front door that reports it.
 */
export async function countOpenIncidents(
  change: 'opened' | 'resolved',
  changed: IncidentRecord,
): Promise<void> {
  if (change === 'opened') countIncidentOpened();
  else countIncidentResolved();
  try {
    const others = (await listIncidents()).filter((i) => i.incidentId !== changed.incidentId);
    gaugeIncidentsOpen([...others, changed].filter(isOpenIncident).length);
  } catch (error) {
    logger.warn('open incidents not counted', { error });
  }
}
