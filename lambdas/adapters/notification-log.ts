import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamodb } from './dynamodb.ts';
import { queryAll } from './query-all.ts';
import { tableName } from './env.ts';
import { roundSk } from './rounds.ts';
import type { LogEntry, BroadcastLogEntry, AnyLogEntry } from '../domain/records/notification.ts';

type Identity = 'accountId' | 'channel' | 'recipient';
export type LogRef =
  | Pick<LogEntry, 'incidentId' | 'round' | 'correction' | Identity>
  | Pick<BroadcastLogEntry, 'broadcastId' | Identity>;
/** What a claim writes: the identity plus who sends and how. */
export type NewLogEntry =
  | Pick<LogEntry, 'incidentId' | 'round' | 'correction' | Identity | 'senderId' | 'asCompany'>
  | Pick<BroadcastLogEntry, 'broadcastId' | 'incidentId' | Identity | 'senderId' | 'asCompany'>;

const isBroadcast = <T extends object>(ref: T): ref is T & { broadcastId: string } =>
  'broadcastId' in ref && typeof ref.broadcastId === 'string';

/**
 * Keys (see table-schema.ts): a round's entries sit under the incident, sorted by round, so one query
 * reads an incident's log or one round; a broadcast's under the broadcast. GSI1 lists an account's
 * notifications across incidents and broadcasts, by when they were first attempted.
 */
export function logKey(ref: LogRef): { pk: string; sk: string } {
  const tail = `${ref.accountId}#${ref.channel}#${ref.recipient}`;
  if (isBroadcast(ref)) return { pk: `BROADCAST#${ref.broadcastId}`, sk: `LOG#${tail}` };
  // A correction sits beside the round it corrects, under its own id: a recipient told once, corrected once.
  const correction = ref.correction === undefined ? '' : `C${ref.correction}#`;
  return {
    pk: `INCIDENT#${ref.incidentId}`,
    sk: `LOG#${roundSk(ref.round).slice('ROUND#'.length)}#${correction}${tail}`,
  };
}

/** GSI1's sort key: when the notification was first attempted, then what it belongs to. */
export function accountSortKey(ref: LogRef, firstAttemptAt: string): string {
  return `${firstAttemptAt}#${isBroadcast(ref) ? `B#${ref.broadcastId}` : `I#${ref.incidentId}#${ref.round}`}`;
}

export type Claim =
  | {
      claimed: true;
      /** Names this attempt: completing or releasing needs it, so a late attempt cannot overwrite a newer one. */
      claimId: string;
      attempts: number;
      /** The item as it was when this attempt took it over (absent when it is new). */
      previous?: AnyLogEntry;
    }
  | { claimed: false; existing: AnyLogEntry };

/** Default lease: longer than any provider call the senders make (Slack 8 s, Twilio 10 s, SES SDK default). */
const DEFAULT_LEASE_MS = 30_000;

/**
 * Takes the item for one send attempt: new, left for a retry, or held by an attempt whose lease ran out
 * (a crashed one). Everyone else gets the item as it stands. Insert-once (docs/architecture.md, "Facts that bite") keeps a retried step
 * from sending twice; the lease keeps a crash from blocking the recipient for ever.
 */
export async function claim(
  entry: NewLogEntry,
  at: string,
  options: { leaseMs?: number } = {},
): Promise<Claim> {
  const key = logKey(entry);
  const claimId = randomUUID();
  const leaseUntil = new Date(Date.parse(at) + (options.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
  const fields: Record<string, unknown> = {
    ...entry,
    status: 'claimed',
    claimId,
    claimedAt: at,
    leaseUntil,
    gsi1pk: `ACCOUNT#${entry.accountId}`,
  };
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
  const names: Record<string, string> = { '#s': 'status', '#g2': 'gsi1sk' };
  const values: Record<string, unknown> = {
    ':retrying': 'retrying',
    ':claimed': 'claimed',
    ':now': at,
    ':one': 1,
    ':g2': accountSortKey(entry, at),
  };
  const sets = defined.map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:v${i}`] = value;
    return `#f${i} = :v${i}`;
  });
  try {
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}, #g2 = if_not_exists(#g2, :g2) REMOVE sendingAt ADD attempts :one`,
        ConditionExpression:
          'attribute_not_exists(pk) OR #s = :retrying OR (#s = :claimed AND leaseUntil < :now)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
      }),
    );
    const previous = out.Attributes ? strip(out.Attributes) : undefined;
    return {
      claimed: true,
      claimId,
      attempts: (previous?.attempts ?? 0) + 1,
      ...(previous ? { previous } : {}),
    };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const existing = await getEntry(entry);
    if (!existing) throw new Error(`Log item ${key.sk} vanished during its claim`, { cause: error });
    return { claimed: false, existing };
  }
}

/** The attempt no longer holds the item: its lease ran out and another attempt took it over. */
export class LostClaimError extends Error {
  constructor(ref: LogRef) {
    super(`Another attempt took over ${logKey(ref).sk}`);
    this.name = 'LostClaimError';
  }
}

export interface Outcome {
  status: 'sent' | 'sent_by_owner' | 'failed';
  at: string;
  providerId?: string;
  error?: string;
}

/**
 * Records the final outcome. With the claim id, only the attempt holding the item may do so; without it
 * (the workflow's closing sweep), any item not yet final.
 */
export async function complete(ref: LogRef, outcome: Outcome, claimId?: string): Promise<void> {
  await finish(
    ref,
    'SET #s = :s, sentAt = :at, providerId = :p, #e = :e REMOVE leaseUntil, needsCheck, claimId',
    {
      ':s': outcome.status,
      ':at': outcome.at,
      ':p': outcome.providerId ?? null,
      ':e': outcome.error ?? null,
    },
    claimId,
  );
}

/**
 * Written by the attempt holding the item just before it calls a provider that cannot be asked afterwards
 * (SES): an attempt taken over without this mark certainly never made the call, so it is sent, not
 * recorded unconfirmed. Only a crash during the call itself stays ambiguous.
 */
export async function markSending(ref: LogRef, claimId: string, at: string): Promise<void> {
  await finish(ref, 'SET sendingAt = :at', { ':at': at }, claimId);
}

/**
 * Gives the item back after a transient failure, for the next attempt. `needsCheck` when the failed call
 * may have reached the customer (a timeout, a 5xx): the next attempt looks before it sends.
 */
export async function release(
  ref: LogRef,
  claimId: string,
  failure: { error: string; needsCheck: boolean },
): Promise<void> {
  await finish(
    ref,
    'SET #s = :s, #e = :e, needsCheck = :n REMOVE leaseUntil, claimId',
    { ':s': 'retrying', ':e': failure.error, ':n': failure.needsCheck },
    claimId,
  );
}

async function finish(
  ref: LogRef,
  update: string,
  values: Record<string, unknown>,
  claimId: string | undefined,
): Promise<void> {
  const condition = claimId ? 'claimId = :c' : 'attribute_exists(pk) AND NOT (#s IN (:sent, :owner, :failed))';
  // DynamoDB refuses a name the expressions do not use.
  const used = `${update} ${condition}`;
  const names: Record<string, string> = {
    ...(used.includes('#s') ? { '#s': 'status' } : {}),
    ...(used.includes('#e') ? { '#e': 'error' } : {}),
  };
  try {
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: logKey(ref),
        UpdateExpression: update,
        ConditionExpression: condition,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: {
          ...values,
          ...(claimId
            ? { ':c': claimId }
            : { ':sent': 'sent', ':owner': 'sent_by_owner', ':failed': 'failed' }),
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new LostClaimError(ref);
    throw error;
  }
}

export async function getEntry(ref: LogRef): Promise<AnyLogEntry | undefined> {
  const out = await dynamodb.send(
    new GetCommand({ TableName: tableName(), Key: logKey(ref), ConsistentRead: true }),
  );
  return out.Item ? strip(out.Item) : undefined;
}

const isCorrection = (entry: AnyLogEntry): boolean => 'correction' in entry && entry.correction !== undefined;

/**
 * An incident's update-round log, or one round's; oldest round first. Corrections are left out: each
 * recipient's first telling is what every reader of this counts (domain/told.ts).
 */
export async function logOf(incidentId: string, round?: number): Promise<LogEntry[]> {
  return (await incidentLog(incidentId, round)).filter((e) => !isCorrection(e));
}

/** The corrections logged for an incident (or one round): one line per recipient corrected. */
export async function correctionsOf(incidentId: string, round?: number): Promise<LogEntry[]> {
  return (await incidentLog(incidentId, round)).filter(isCorrection);
}

async function incidentLog(incidentId: string, round?: number): Promise<LogEntry[]> {
  const prefix = round === undefined ? 'LOG#' : `LOG#${roundSk(round).slice('ROUND#'.length)}#`;
  return (await logItems(`INCIDENT#${incidentId}`, prefix)) as LogEntry[];
}

/** Every channel of one company broadcast. */
export async function broadcastLogOf(broadcastId: string): Promise<BroadcastLogEntry[]> {
  return (await logItems(`BROADCAST#${broadcastId}`, 'LOG#')) as BroadcastLogEntry[];
}

/** An account's notifications across incidents and broadcasts, newest first. */
export async function logByAccount(
  accountId: string,
  options: { limit?: number; since?: string } = {},
): Promise<AnyLogEntry[]> {
  const out: AnyLogEntry[] = [];
  const limit = options.limit ?? 500;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: options.since ? 'gsi1pk = :pk AND gsi1sk >= :since' : 'gsi1pk = :pk',
        ExpressionAttributeValues: {
          ':pk': `ACCOUNT#${accountId}`,
          ...(options.since ? { ':since': options.since } : {}),
        },
        ScanIndexForward: false,
        Limit: limit - out.length,
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const entry = strip(item);
      if (!isCorrection(entry)) out.push(entry);
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && out.length < limit);
  return out;
}

async function logItems(pk: string, prefix: string): Promise<AnyLogEntry[]> {
  const items = await queryAll(dynamodb, {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
    ConsistentRead: true,
  });
  return items.map(strip);
}

/** The log as callers see it: no keys, no attempt bookkeeping, no nulls. */
export function strip(item: Record<string, unknown>): AnyLogEntry {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, claimId: _c, ...rest } = item;
  for (const [key, value] of Object.entries(rest)) if (value === null) delete rest[key];
  return rest as unknown as AnyLogEntry;
}
