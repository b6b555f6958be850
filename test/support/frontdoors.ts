import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  type ExecutionListItem,
} from '@aws-sdk/client-sfn';
import { optionsFromEnv } from '../../local/options.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import type { StoredMessage } from '../../local/slack/index.ts';
import { waitFor } from '../../local/driver.ts';
import { executionArn } from '../../local/stepfunctions/index.ts';

export * from './requests.ts';

/**
 * The front-door tests' harness: the local runtime, people acting in the Slack stand-in, and read-only
 * looks at the table and executions behind the routes. The requests themselves are in requests.ts.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface Harness {
  runtime: Runtime;
  sfn: SFNClient;
  db: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startHarness(timeScale = 1): Promise<Harness> {
  const runtime = await startRuntime(optionsFromEnv({}, { port: 0, timeScale }));
  const sfn = new SFNClient({ endpoint: runtime.endpoints.stepFunctions, region: 'us-east-1', credentials });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: runtime.endpoints.dynamodb, region: 'us-east-1', credentials }),
  );
  return { runtime, sfn, db, close: () => runtime.close() };
}

export function buttonsOf(message: StoredMessage): { actionId: string; value?: string; text: string }[] {
  const out: { actionId: string; value?: string; text: string }[] = [];
  for (const block of (message.blocks ?? []) as Record<string, unknown>[]) {
    for (const element of (Array.isArray(block.elements) ? block.elements : []) as Record<
      string,
      unknown
    >[]) {
      if (element.type === 'button' && typeof element.action_id === 'string') {
        out.push({
          actionId: element.action_id,
          ...(typeof element.value === 'string' ? { value: element.value } : {}),
          text: JSON.stringify(element.text ?? ''),
        });
      }
    }
  }
  return out;
}

/**
 * The owner DMs (with the owner buttons) of the incident whose DMs mention `marker`. If the workflow first
 * asks the CMOC to start customer comms, the CMOC presses "Start customer comms" — as a person would.
 */
export async function ownerDmsFor(h: Harness, marker: string, atLeast = 1): Promise<StoredMessage[]> {
  const slack = h.runtime.slack!;
  const pressed = new Set<string>();
  return waitFor(`${atLeast}+ owner DMs about "${marker}"`, async () => {
    const about = slack
      .messages()
      .filter((m) => m.channel.startsWith('D') && JSON.stringify(m.blocks ?? []).includes(marker));
    const owners = about.filter((m) => buttonsOf(m).some((b) => b.actionId === 'owner:send'));
    if (owners.length >= atLeast) return owners;
    for (const m of about) {
      const start = buttonsOf(m).find((b) => /start customer comms/i.test(b.text));
      if (start && !pressed.has(m.ts)) {
        pressed.add(m.ts);
        await slack.press({
          channel: m.channel,
          ts: m.ts,
          actionId: start.actionId,
          userId: slack.dmUser(m.channel)!,
        });
      }
    }
    return undefined;
  });
}

/**
 * Presses "Send to my accounts" on every owner DM about `marker` — including DMs that arrive meanwhile (a
 * backup covering an owner on PTO) — until `done` says so.
 */
export async function sendAllUntil(
  h: Harness,
  marker: string,
  what: string,
  done: () => Promise<boolean>,
): Promise<void> {
  const slack = h.runtime.slack!;
  const pressed = new Set<string>();
  await waitFor(what, async () => {
    if (await done()) return true;
    const waiting = slack
      .messages()
      .filter((m) => m.channel.startsWith('D') && JSON.stringify(m.blocks ?? []).includes(marker))
      .filter(
        (m) => buttonsOf(m).some((b) => b.actionId === 'owner:send') && !pressed.has(`${m.channel}/${m.ts}`),
      );
    for (const m of waiting) {
      pressed.add(`${m.channel}/${m.ts}`);
      await slack.press({
        channel: m.channel,
        ts: m.ts,
        actionId: 'owner:send',
        userId: slack.dmUser(m.channel)!,
      });
    }
    return undefined;
  });
}

// ---- What is behind the routes -------------------------------------------------------------------

/** Every item in the table (a Scan COUNT, followed across pages). */
export async function tableCount(h: Harness): Promise<number> {
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
export async function allExecutionCount(h: Harness): Promise<number> {
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
export async function incidentExecutions(h: Harness): Promise<ExecutionListItem[]> {
  const out = await h.sfn.send(
    new ListExecutionsCommand({ stateMachineArn: h.runtime.incidentStateMachineArn, maxResults: 1000 }),
  );
  return out.executions ?? [];
}

export async function incidentItem(
  h: Harness,
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
  h: Harness,
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
export async function actionItem(h: Harness, actionId: string): Promise<Record<string, unknown> | undefined> {
  const out = await h.db.send(
    new GetCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: `ACTION#${actionId}`, sk: 'META' },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

export const executionArnOf = (h: Harness, incidentId: string) =>
  executionArn('incident', `incident-${incidentId}`);

export { waitFor };

/** Resolves once nothing has changed for `quietMs` (what `snapshot` returns), bounded by `timeoutMs`. */
export async function settled<T>(
  what: string,
  snapshot: () => T | Promise<T>,
  quietMs = 400,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(await snapshot());
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await snapshot();
    const text = JSON.stringify(now);
    if (text !== last) {
      last = text;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return now;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} to settle`);
  }
}
