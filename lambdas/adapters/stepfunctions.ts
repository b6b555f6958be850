import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type {
  AskOutcome,
  BroadcastInput,
  DeliveredEvent,
  IncidentExecutionInput,
  RecoveryAnswer,
  ReviewAnswer,
} from '../contract/payloads.ts';
import { broadcastExecutionName } from '../contract/execution-names.ts';
import { incidentStateMachineArn, requireEnv } from './env.ts';

/** Module-scope client (see dynamodb.ts); AWS_ENDPOINT_URL_SFN points it at the local Step Functions API. */
export const sfn = new SFNClient({});

/**
 * Starts an execution under `name`; true when this call started it. Same name + same input while running
 * is idempotent in Step Functions; a name used before (perhaps by a finished execution) is
 * `ExecutionAlreadyExists`, which means there is nothing more to start.
 */
async function startOnce(stateMachineArn: string, name: string, input: object): Promise<boolean> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return true;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    return false;
  }
}

/** Starts an incident's execution under `name` (contract/execution-names.ts); true when this call did. */
export function startIncidentExecution(incidentId: string, name: string): Promise<boolean> {
  return startOnce(incidentStateMachineArn(), name, { incidentId } satisfies IncidentExecutionInput);
}

/** Starts a company broadcast's execution, once per broadcast id; true when this call did. */
export function startBroadcastExecution(broadcastId: string): Promise<boolean> {
  return startOnce(requireEnv('BROADCAST_STATE_MACHINE_ARN'), broadcastExecutionName(broadcastId), {
    broadcastId,
  } satisfies BroadcastInput);
}

/** What completes a parked callback task: the `answers` types of contract/functions.ts. */
export type TaskAnswer = AskOutcome | ReviewAnswer | DeliveredEvent | RecoveryAnswer;

/**
 * Completes a parked callback task; false when the task is gone — it timed out, was answered already, or
 * the token is not (or no longer) one Step Functions knows — so the caller can say nothing happened.
 */
export async function completeTask(taskToken: string, answer: TaskAnswer): Promise<boolean> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(answer) }));
    return true;
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist)
      return false;
    throw error;
  }
}
