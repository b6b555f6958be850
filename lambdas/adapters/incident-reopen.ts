import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { executionNameFor } from '../contract/execution-names.ts';
import { conditionally, dynamodb } from './dynamodb.ts';
import { incidentStateMachineArn, tableName } from './env.ts';
import { findIncident } from './incidents.ts';
import { countOpenIncidents } from './incident-lifecycle.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import { logger } from './logger.ts';
import { sfn, startIncidentExecution } from './stepfunctions.ts';

/**
 * PagerDuty reopens an incident whose execution has already finished (resolved, resolution sent, closed):
 * no wait will ever be parked again, so a queued event would never be read and customers who were told
 * "it's fixed" would hear nothing. Such an incident gets a new execution that runs like a fresh one (CMOC
 * confirmation per severity, then the initial round).
 *
 * Each reopening gets the next name, `incident-<id>-r<n>`. The counter, the name and the reopening event
 * are written in one conditional update that holds only while the finished execution is still the
 * recorded one, so two reopen events racing start one execution between them; the event id recorded with
 * it makes a retry of the same event (after a crash, or a redelivery past the webhook's dedup) start that
 * same execution again — idempotent in Step Functions — never the next one.
 *
 * While the recorded execution runs, nothing happens here and the event goes through the hand-over as
 * any other (incident-events.ts).
 */
export type ReopenOutcome = 'restarted' | 'already-restarted' | 'running' | 'unknown-incident';

/** Statuses in which the execution may still park a wait and read the event. */
const LIVE = new Set(['RUNNING', 'PENDING_REDRIVE']);
/** Two reopen events racing: the loser re-reads once and finds the winner's execution running. */
const ATTEMPTS = 3;

/** The name of the execution started by the n-th reopening; the suffix survives any id length. */
export function reopenedExecutionName(incidentId: string, reopening: number): string {
  const suffix = `-r${reopening}`;
  return executionNameFor(incidentId).slice(0, 80 - suffix.length) + suffix;
}

export interface Reopening {
  eventId: string;
  /**
   * Who is CMOC for the new execution, given the incident as recorded (read only when restarting): its
   * CMOC and its clock, so "who is on shift" is asked at the incident's own time.
   */
  cmocFor: (incident: IncidentRecord) => Promise<string>;
}

export async function reopenIfFinished(incidentId: string, reopening: Reopening): Promise<ReopenOutcome> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const incident = await findIncident(incidentId);
    if (!incident) return 'unknown-incident';
    if (incident.reopenedBy === reopening.eventId) {
      await startIncidentExecution(incidentId, incident.executionName);
      return 'already-restarted';
    }
    const status = await executionStatus(incident.executionName);
    if (status === undefined) {
      // Recorded but never started (a crash right after the record was written): start it, as a retry of
      // that write would, and let the event reach it through the hand-over.
      await startIncidentExecution(incidentId, incident.executionName);
      return 'running';
    }
    if (LIVE.has(status)) return 'running';
    const n = (incident.reopenings ?? 0) + 1;
    const name = reopenedExecutionName(incidentId, n);
    const cmocId = await reopening.cmocFor(incident);
    if (await recordReopening(incident, { n, name, eventId: reopening.eventId, cmocId })) {
      await startIncidentExecution(incidentId, name);
      logger.info('reopened incident restarted', { incidentId, executionName: name, after: status });
      await countOpenIncidents('opened', { ...incident, status: 'triggered' });
      return 'restarted';
    }
  }
  throw new Error(`Incident ${incidentId}: the reopening could not be recorded after ${ATTEMPTS} attempts`);
}

/** Execution ARNs are the machine's ARN with `execution` for `stateMachine` and the name appended. */
function executionArn(name: string): string {
  return `${incidentStateMachineArn().replace(':stateMachine:', ':execution:')}:${name}`;
}

async function executionStatus(name: string): Promise<string | undefined> {
  try {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(name) }));
    return out.status;
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
}

/**
 * The new execution starts from scratch: the CMOC confirms customer impact again, and engineering's last
 * words (about the fix) are not repeated to customers as news. The resolution time stays: a write-up
 * follow-up still running counts from it.
 */
async function recordReopening(
  seen: IncidentRecord,
  next: { n: number; name: string; eventId: string; cmocId: string },
): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `INCIDENT#${seen.incidentId}`, sk: 'META' },
        UpdateExpression:
          'SET executionName = :name, reopenings = :n, reopenedBy = :e, #status = :triggered, cmocId = :cmoc, ' +
          'roundsAtReopen = if_not_exists(rounds, :zero) ' +
          // A stop ended the last execution's comms; the reopened incident's CMOC decides afresh.
          'REMOVE commsDecision, commsAskedAt, updateRequestedAt, engineeringUpdate, waitToken, commsStopped',
        ConditionExpression: 'executionName = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':name': next.name,
          ':n': next.n,
          ':e': next.eventId,
          ':triggered': 'triggered',
          ':cmoc': next.cmocId,
          ':seen': seen.executionName,
          ':zero': 0,
        },
      }),
    ),
  );
}
