import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { IncidentExecutionInput } from '../contract/payloads.ts';
import { incidentStateMachineArn } from './env.ts';

/** Module-scope client (see dynamodb.ts); AWS_ENDPOINT_URL_SFN points it at the local Step Functions API. */
export const sfn = new SFNClient({});

/**
 * Starts an incident's execution under `name`; true when this call started it. Same name + same input while
 * running is idempotent in Step Functions; a name used before (by this incident's own execution, perhaps
 * finished) is `ExecutionAlreadyExists`, which means there is nothing more to start.
 */
export async function startIncidentExecution(incidentId: string, name: string): Promise<boolean> {
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: incidentStateMachineArn(),
        name,
        input: JSON.stringify({ incidentId } satisfies IncidentExecutionInput),
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    return false;
  }
}
