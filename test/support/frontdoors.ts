import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ListExecutionsCommand, ListStateMachinesCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { waitFor } from '../../local/driver.ts';
import { executionArn } from '../../local/stepfunctions/index.ts';
import type { World } from './world.ts';

export * from './requests.ts';

/**
 * What the front-door tests read behind the routes: the table and the executions, through the SDK clients
 * of the world (world.ts) they start. The requests themselves are in requests.ts, people in slack.ts.
 */

/** Every item in the table (a Scan COUNT, followed across pages). */
export async function tableCount(h: World): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await h.db.send(
      new ScanCommand({
        TableName: process.env.TABLE_NAME,
        Select: 'COUNT',
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Executions of every state machine, whatever their status. */
export async function allExecutionCount(h: World): Promise<number> {
  const machines = (await h.sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
  let count = 0;
  for (const machine of machines) {
    const out = await h.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, maxResults: 1000 }),
    );
    count += out.executions?.length ?? 0;
  }
  return count;
}

/** Executions of the incident state machine (every status). */
export async function incidentExecutions(h: World): Promise<ExecutionListItem[]> {
  const out = await h.sfn.send(
    new ListExecutionsCommand({ stateMachineArn: h.runtime.incidentStateMachineArn, maxResults: 1000 }),
  );
  return out.executions ?? [];
}

export async function incidentItem(
  h: World,
  incidentId: string,
): Promise<Record<string, unknown> | undefined> {
  const out = await h.db.send(
    new GetCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: `INCIDENT#${incidentId}`, sk: 'META' },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

/** The events queued for an incident's execution (incident-events.ts), oldest first. */
export async function incidentEvents(
  h: World,
  incidentId: string,
): Promise<{ eventId: string; type: string; status: string }[]> {
  const out = await h.db.send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': `INCIDENT#${incidentId}`, ':e': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []) as { eventId: string; type: string; status: string }[];
}

/** A pending button action (lambdas/adapters/actions.ts), read straight from the table. */
export async function actionItem(h: World, actionId: string): Promise<Record<string, unknown> | undefined> {
  const out = await h.db.send(
    new GetCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: `ACTION#${actionId}`, sk: 'META' },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

export const executionArnOf = (h: World, incidentId: string) =>
  executionArn('incident', `incident-${incidentId}`);

/** Resolves once nothing has changed for `quietMs` (what `snapshot` returns), bounded by `timeoutMs`. */
export async function settled<T>(
  what: string,
  snapshot: () => T | Promise<T>,
  quietMs = 400,
  timeoutMs = 15_000,
): Promise<T> {
  let last: string | undefined;
  let since = Date.now();
  const quiet = await waitFor(
    `${what} to settle`,
    async () => {
      const now = await snapshot();
      const text = JSON.stringify(now);
      if (text !== last) {
        last = text;
        since = Date.now();
        return undefined;
      }
      return Date.now() - since >= quietMs ? { now } : undefined;
    },
    timeoutMs,
  );
  return quiet.now;
}
