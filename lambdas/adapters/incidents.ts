import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import type { Severity } from '../contract/payloads.ts';

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface IncidentMaintenance {
  system: string;
  start: string;
  end: string;
  regions: string[];
}

export interface IncidentClock {
  at: string;
  origin: string;
  rate: number;
}

/**
 * "Now" for an incident: what availability, cadence and schedules are judged by. The wall clock unless the
 * incident carries its own clock (see IncidentRecord.clock).
 */
export function incidentNow(incident: Pick<IncidentRecord, 'clock'>, wallMs = Date.now()): Date {
  const clock = incident.clock;
  if (!clock) return new Date(wallMs);
  return new Date(Date.parse(clock.at) + (wallMs - Date.parse(clock.origin)) * clock.rate);
}

/** The incident item (INCIDENT#<id> / META). No contact details; the CMOC is a roster person id. */
export interface IncidentRecord {
  incidentId: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  services: string[];
  regions: string[];
  source: 'pagerduty' | 'slack';
  pagerduty?: { number?: number; htmlUrl?: string; serviceId?: string; priority?: string; urgency?: string };
  startedAt: string;
  resolvedAt?: string;
  cmocId: string;
  /**
   * The engineering incident lead, a roster person id: PagerDuty's first assignee the roster knows, or who
   * the CMOC named with `/comms lead`. Reminded about a SEV1's write-up.
   */
  leadId?: string;
  /** The incident's current execution: `incident-<id>`, then `incident-<id>-r<n>` after the n-th reopening. */
  executionName: string;
  /** How often the incident was reopened after its execution had finished (incident-reopen.ts). */
  reopenings?: number;
  /** The event that started the current execution on a reopening: a retry of it starts nothing new. */
  reopenedBy?: string;
  /** `rounds` when the current execution started on a reopening: rounds above it are the new execution's. */
  roundsAtReopen?: number;
  rounds: number;
  lastRoundAt?: string;
  engineeringUpdate?: string;
  rootCause?: string;
  /**
   * Planned maintenance (`/comms maintenance`): a SEV4 incident announced before the window and confirmed
   * after it. ISO 8601 times; regions are product regions ("us", "eu"), empty = all.
   */
  maintenance?: IncidentMaintenance;
  /** The write-up link (SEV1 postmortem), once engineering has published it. */
  writeUpUrl?: string;
  /** The CMOC's answer to "customer impact?": start comms, or the incident needs none. */
  commsDecision?: 'start' | 'no_impact';
  /** When the CMOC last asked for an update now; a round drafted after it answers it. */
  updateRequestedAt?: string;
  /** When the workflow asked the CMOC to confirm customer impact (a SEV1's auto-start counts from it). */
  commsAskedAt?: string;
  /**
   * The incident's own clock, for a run on a simulated timeline (demo, tests, benchmarks): at wall-clock
   * `origin` it was `at`, and it runs `rate` times as fast as the wall clock. Absent: the wall clock.
   */
  clock?: IncidentClock;
  /** The parked wait's task token, present only while the execution waits for the next update or an event. */
  waitToken?: string;
}

const key = (incidentId: string) => ({ pk: `INCIDENT#${incidentId}`, sk: 'META' });

export class IncidentNotFoundError extends Error {
  constructor(incidentId: string) {
    super(`Incident ${incidentId} is not known`);
    this.name = 'IncidentNotFoundError';
  }
}

/** Creates the incident once; a second trigger for the same id keeps the first record. Returns whether it was new. */
export async function createIncident(incident: IncidentRecord): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...key(incident.incidentId),
          ...incident,
          gsi1pk: 'INCIDENTS',
          gsi1sk: `${incident.startedAt}#${incident.incidentId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

export async function findIncident(incidentId: string): Promise<IncidentRecord | undefined> {
  const out = await dynamodb.send(
    new GetCommand({ TableName: tableName(), Key: key(incidentId), ConsistentRead: true }),
  );
  return out.Item ? strip(out.Item) : undefined;
}

export async function getIncident(incidentId: string): Promise<IncidentRecord> {
  const incident = await findIncident(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  return incident;
}

export async function listIncidents(limit = 50): Promise<IncidentRecord[]> {
  const out = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'INCIDENTS' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(strip);
}

/** Sets plain fields on the incident (never the wait token: that has its own guarded operations). */
export async function updateIncident(
  incidentId: string,
  fields: Partial<Omit<IncidentRecord, 'incidentId' | 'waitToken' | 'rounds'>>,
): Promise<void> {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return;
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(incidentId),
      UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}

export async function parkWaitToken(incidentId: string, token: string): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(incidentId),
      UpdateExpression: 'SET waitToken = :t',
      ExpressionAttributeValues: { ':t': token },
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}

/** Takes the parked token for exactly one caller; everyone else gets undefined. */
export async function claimWaitToken(incidentId: string, token: string): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(incidentId),
        UpdateExpression: 'REMOVE waitToken',
        ConditionExpression: 'waitToken = :t',
        ExpressionAttributeValues: { ':t': token },
      }),
    ),
  );
}

/** Allocates the next round number (atomic counter on the incident). */
export async function nextRoundNumber(incidentId: string, at: string): Promise<number> {
  const out = await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(incidentId),
      UpdateExpression: 'ADD rounds :one SET lastRoundAt = :at',
      ExpressionAttributeValues: { ':one': 1, ':at': at },
      ConditionExpression: 'attribute_exists(pk)',
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.rounds);
}

function strip(item: Record<string, unknown>): IncidentRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as unknown as IncidentRecord;
}
