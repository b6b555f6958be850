import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import { queryAll } from './query-all.ts';
import type { ActionRecord } from '../domain/records/action.ts';

const key = (actionId: string) => ({ pk: `ACTION#${actionId}`, sk: 'META' });

/** Grace after a task's own timeout before its button is refused as expired. */
const EXPIRY_GRACE_SECONDS = 5 * 60;

/**
 * When a button that answers within `answerWithinSeconds` expires (epoch seconds, the TTL too). Buttons
 * are checked against the wall clock; the task's own timeout is what really ends an ask.
 */
export function buttonExpiry(answerWithinSeconds: number, nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000) + answerWithinSeconds + EXPIRY_GRACE_SECONDS;
}

/**
 * The same key always yields the same action id. Asks are keyed by what they ask (the round, the owner,
 * the role), not by their task token: Step Functions gives every attempt of a retried task a new token,
 * and the retried ask must find the DM the first attempt posted.
 */
export function actionIdFor(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

/** Whether a value from Slack can be an action id at all: anything else is refused before any lookup. */
export function isActionId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22}$/.test(value);
}

/** Stores the action once; returns the stored record (the earlier one when this is a retry). */
export async function putAction(action: ActionRecord): Promise<ActionRecord> {
  const stored = await conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key(action.actionId), ...action },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  if (stored) return action;
  const existing = await getAction(action.actionId);
  if (!existing) throw new Error(`Action ${action.actionId} was there a moment ago and is gone`);
  return existing;
}

export async function getAction(actionId: string): Promise<ActionRecord | undefined> {
  if (!isActionId(actionId)) return undefined;
  const out = await dynamodb.send(
    new GetCommand({ TableName: tableName(), Key: key(actionId), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = out.Item;
  return rest as ActionRecord;
}

export async function recordDm(actionId: string, dm: { channel: string; ts: string }): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(actionId),
      UpdateExpression: 'SET dm = :dm',
      ExpressionAttributeValues: { ':dm': dm },
    }),
  );
}

/** An update of an action that only applies while nobody has pressed it; false once somebody has. */
function whilePending(actionId: string, set: string, values: Record<string, unknown>): Promise<boolean> {
  return conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(actionId),
        UpdateExpression: set,
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ...values, ':pending': 'pending' },
      }),
    ),
  );
}

/** The one press that counts: pending → done. False when somebody (or a retry) got there first. */
export function completeAction(
  actionId: string,
  done: { decision: string; pressedBy: string; pressedAt: string },
): Promise<boolean> {
  return whilePending(actionId, 'SET #s = :done, decision = :d, pressedBy = :by, pressedAt = :at', {
    ':done': 'done',
    ':d': done.decision,
    ':by': done.pressedBy,
    ':at': done.pressedAt,
  });
}

/**
 * The same ask made again by a new attempt of its step (a retry, a round started again): the action now
 * stands for the new task token, pending again if the workflow had ended it, with a fresh deadline. A
 * recovery ask answered before is armed again too (the same step failed once more). False when the
 * action was pressed (and not re-armable) meanwhile.
 */
export function rearmAction(
  actionId: string,
  arm: { taskToken: string; expiresAt: number; failure?: ActionRecord['failure']; answerBy?: string },
  options: { evenIfDone?: boolean } = {},
): Promise<boolean> {
  const values: Record<string, unknown> = {
    ':t': arm.taskToken,
    ':x': arm.expiresAt,
    ':pending': 'pending',
  };
  let set = 'SET taskToken = :t, expiresAt = :x, #s = :pending';
  if (arm.failure) {
    set += ', failure = :f';
    values[':f'] = arm.failure;
  }
  if (arm.answerBy) {
    set += ', answerBy = :a';
    values[':a'] = arm.answerBy;
  }
  const remove = options.evenIfDone ? ' REMOVE ended, decision, pressedBy, pressedAt' : ' REMOVE ended';
  return conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(actionId),
        UpdateExpression: set + remove,
        ConditionExpression: options.evenIfDone ? 'attribute_exists(pk)' : '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

/**
 * An ask handed to another person before anyone pressed it (the backup first asked showed as away on
 * Slack): only they may answer it now. False once somebody has pressed.
 */
export function reassignAction(
  actionId: string,
  to: { personId: string; coverWhy: string },
): Promise<boolean> {
  return whilePending(actionId, 'SET allowedPersonIds = :p, coverWhy = :w', {
    ':p': [to.personId],
    ':w': to.coverWhy,
  });
}

/** Undo a press whose task could not be completed, so the record does not claim what did not happen. */
export async function reopenAction(actionId: string): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(actionId),
      UpdateExpression: 'SET #s = :pending REMOVE decision, pressedBy, pressedAt',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending' },
    }),
  );
}

/**
 * The asks of one owner's round (the owner's own and a backup's), so whatever ends them can close every
 * DM still showing buttons. One small item per ask; writing it again is harmless.
 */
const asksKey = (incidentId: string, round: number, ownerId: string) =>
  `ASKS#${incidentId}#${String(round).padStart(4, '0')}#${ownerId}`;

export async function indexAsk(action: ActionRecord): Promise<void> {
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        pk: asksKey(action.incidentId, action.round, action.ownerId),
        sk: `ACTION#${action.actionId}`,
        actionId: action.actionId,
        expiresAt: action.expiresAt,
      },
    }),
  );
}

/** Every ask of an owner's round, oldest first. */
export async function asksOf(incidentId: string, round: number, ownerId: string): Promise<ActionRecord[]> {
  const items = await queryAll(dynamodb, {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': asksKey(incidentId, round, ownerId) },
    ConsistentRead: true,
  });
  const actions = await Promise.all(items.map((item) => getAction(String(item.actionId))));
  return actions
    .filter((a): a is ActionRecord => a !== undefined)
    .sort((a, b) => (a.askedAt ?? '').localeCompare(b.askedAt ?? ''));
}

/**
 * Marks an unpressed ask as ended by the workflow. False when it was pressed meanwhile (that press's own
 * record stands). Ending it again overwrites the outcome: the latest is what happened in the end.
 */
export function endAction(actionId: string, ended: NonNullable<ActionRecord['ended']>): Promise<boolean> {
  return whilePending(actionId, 'SET ended = :e', { ':e': ended });
}

/** The recovery asks of an incident (Try again / Stop comms), for `/comms resume` and for a stop to close them all. */
const recoveriesKey = (incidentId: string) => `RECOVERIES#${incidentId}`;

export async function indexRecovery(action: ActionRecord): Promise<void> {
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        pk: recoveriesKey(action.incidentId),
        sk: `ACTION#${action.actionId}`,
        actionId: action.actionId,
        expiresAt: action.expiresAt,
      },
    }),
  );
}

/** Every recovery ask of the incident, oldest first. */
export async function recoveriesOf(incidentId: string): Promise<ActionRecord[]> {
  const items = await queryAll(dynamodb, {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': recoveriesKey(incidentId) },
    ConsistentRead: true,
  });
  const actions = await Promise.all(items.map((item) => getAction(String(item.actionId))));
  return actions
    .filter((a): a is ActionRecord => a !== undefined)
    .sort((a, b) => (a.askedAt ?? '').localeCompare(b.askedAt ?? ''));
}

/** The key of the CMOC's review of a round (its action id is `actionIdFor` of it): one review per round. */
export const reviewActionKey = (incidentId: string, round: number): string => `review:${incidentId}:${round}`;

/**
 * Stores a CMOC action once: the same `key` always gives the same action (a retried notice reuses it).
 * `taskToken` is empty for buttons that become events rather than complete a task.
 */
export async function cmocAction(input: {
  key: string;
  incidentId: string;
  cmocId: string;
  round?: number;
  taskToken?: string;
  /** How long the CMOC has to answer; the button lasts that long plus the grace. */
  answerWithinSeconds: number;
  /** When the asking task stops waiting, on the incident's clock (ActionRecord.answerBy). */
  answerBy?: string;
}): Promise<ActionRecord> {
  return putAction({
    actionId: actionIdFor(input.key),
    kind: 'cmoc-decision',
    taskToken: input.taskToken ?? '',
    incidentId: input.incidentId,
    round: input.round ?? 0,
    ownerId: input.cmocId,
    allowedPersonIds: [input.cmocId],
    expiresAt: buttonExpiry(input.answerWithinSeconds),
    status: 'pending',
    ...(input.answerBy ? { answerBy: input.answerBy } : {}),
  });
}
