import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import type { CommsStopped, IncidentRecord } from '../domain/records/incident.ts';

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

/** Records that the CMOC stopped the incident's comms; the first stop stays. Returns the stop that counts. */
export async function recordCommsStop(incidentId: string, stop: CommsStopped): Promise<CommsStopped> {
  const stored = await conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(incidentId),
        UpdateExpression: 'SET commsStopped = :s',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(commsStopped)',
        ExpressionAttributeValues: { ':s': stop },
      }),
    ),
  );
  if (stored) return stop;
  const incident = await getIncident(incidentId);
  if (!incident.commsStopped)
    throw new Error(`Incident ${incidentId} could not record who stopped its comms`);
  return incident.commsStopped;
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

/** Records the first notice once; true only for the call that recorded it (the metric counts it once). */
export async function markFirstNotice(incidentId: string, at: string): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(incidentId),
        UpdateExpression: 'SET firstNoticeAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(firstNoticeAt)',
        ExpressionAttributeValues: { ':at': at },
      }),
    ),
  );
}
