import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfn } from './stepfunctions.ts';
import { incidentStateMachineArn } from './env.ts';
import { createIncident, findIncident, updateIncident, type IncidentRecord } from './incidents.ts';
import { deliverPending, enqueueEvent } from './incident-events.ts';
import { logger } from './logger.ts';
import type { IncidentEventType } from '../payloads.ts';

/**
 * What the front doors (PagerDuty webhook, /comms) do to an incident. Both go through here, so an incident
 * declared in Slack behaves exactly like one from PagerDuty.
 */

export { executionNameFor } from '../execution-name.ts';

export type DeclareOutcome = 'started' | 'already-running';

/** Records the incident and starts its one execution. Safe to repeat: the record and the name are idempotent. */
export async function declareIncident(incident: IncidentRecord): Promise<DeclareOutcome> {
  const created = await createIncident(incident);
  const stored = created ? incident : await findIncident(incident.incidentId);
  const name = stored?.executionName ?? incident.executionName;
  try {
    // Same name + same input while running is idempotent in Step Functions; the input is just the id.
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: incidentStateMachineArn(),
        name,
        input: JSON.stringify({ incidentId: incident.incidentId }),
      }),
    );
    logger.info('incident execution started', { incidentId: incident.incidentId, executionName: name });
    return 'started';
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return 'already-running';
    throw error;
  }
}

export interface Signal {
  eventId: string;
  type: IncidentEventType;
  receivedAt: string;
  /** Incident fields this event changes (severity, status, engineering update text …). */
  changes?: Parameters<typeof updateIncident>[1];
}

export type SignalOutcome = 'delivered' | 'queued' | 'duplicate' | 'unknown-incident';

/** Applies an event's changes, queues it for the execution and hands it over if the execution is parked. */
export async function signalIncident(incidentId: string, signal: Signal): Promise<SignalOutcome> {
  const incident = await findIncident(incidentId);
  if (!incident) return 'unknown-incident';
  if (signal.changes) await updateIncident(incidentId, signal.changes);
  const fresh = await enqueueEvent(incidentId, signal);
  const handed = await deliverPending(incidentId);
  if (!fresh) return 'duplicate';
  return handed === 'delivered' ? 'delivered' : 'queued';
}
