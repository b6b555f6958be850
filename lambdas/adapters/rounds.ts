import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { queryAll } from './query-all.ts';
import { writeAllAtOnce } from './batch-write.ts';
import { tableName } from './env.ts';
import type { RoundRecord, AccountDraft, OwnerEdit } from '../domain/records/round.ts';

const pk = (incidentId: string) => `INCIDENT#${incidentId}`;
export const roundSk = (round: number) => `ROUND#${String(round).padStart(4, '0')}`;

export async function findRoundByKey(incidentId: string, roundKey: string): Promise<RoundRecord | undefined> {
  const ref = await dynamodb.send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: pk(incidentId), sk: `ROUNDKEY#${roundKey}` },
      ConsistentRead: true,
    }),
  );
  if (!ref.Item) return undefined;
  return getRound(incidentId, Number(ref.Item.round));
}

export async function getRound(incidentId: string, round: number): Promise<RoundRecord | undefined> {
  const out = await dynamodb.send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: pk(incidentId), sk: roundSk(round) },
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = out.Item;
  return rest as RoundRecord;
}

/**
 * Saves drafts first and the round record last: a round whose record exists is complete. The key
 * reference is written only after both, so a retry either finds a complete round or drafts it again.
 */
export async function saveRound(round: RoundRecord, drafts: Map<string, AccountDraft[]>): Promise<void> {
  // One item per owner, 25 to a BatchWriteItem and every batch at once: a 2,000-owner round is 80
  // requests side by side, where 2,000 single writes would go in waves of the SDK's 50 sockets, each wave
  // one more round trip before the first owner is asked (docs/architecture.md, "Budgets").
  await writeAllAtOnce(
    dynamodb,
    tableName(),
    [...drafts].map(([ownerId, accounts]) => ({
      PutRequest: {
        Item: { pk: pk(round.incidentId), sk: `${roundSk(round.round)}#OWNER#${ownerId}`, ownerId, accounts },
      },
    })),
  );
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { pk: pk(round.incidentId), sk: roundSk(round.round), ...round },
    }),
  );
  // Already there: a retry of the same step.
  await conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: pk(round.incidentId), sk: `ROUNDKEY#${round.roundKey}`, round: round.round },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

export async function getOwnerDrafts(
  incidentId: string,
  round: number,
  ownerId: string,
): Promise<AccountDraft[]> {
  const out = await dynamodb.send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: pk(incidentId), sk: `${roundSk(round)}#OWNER#${ownerId}` },
      ConsistentRead: true,
    }),
  );
  if (!out.Item)
    throw new Error(`No drafts for owner ${ownerId} in round ${round} of incident ${incidentId}`);
  return out.Item.accounts as AccountDraft[];
}

/**
 * Replaces an owner's drafts with their edited texts, keeping the drafted originals beside them (once: a
 * second save keeps the first originals), so a press the workflow never heard of can be undone.
 */
export async function saveOwnerEdit(
  incidentId: string,
  round: number,
  ownerId: string,
  accounts: AccountDraft[],
  edit: OwnerEdit,
): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: pk(incidentId), sk: `${roundSk(round)}#OWNER#${ownerId}` },
      UpdateExpression: 'SET drafted = if_not_exists(drafted, accounts), accounts = :a, edited = :e',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':a': accounts, ':e': edit },
    }),
  );
}

/** Puts the drafted texts back after an edit whose press could not be completed. */
export async function revertOwnerEdit(incidentId: string, round: number, ownerId: string): Promise<void> {
  // Already there: a retry of the same step.
  await conditionally(() =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: pk(incidentId), sk: `${roundSk(round)}#OWNER#${ownerId}` },
        UpdateExpression: 'SET accounts = drafted REMOVE drafted, edited',
        ConditionExpression: 'attribute_exists(drafted)',
      }),
    ),
  );
}

/** The edit recorded for an owner's drafts in a round, if they edited them. */
export async function ownerEditOf(
  incidentId: string,
  round: number,
  ownerId: string,
): Promise<OwnerEdit | undefined> {
  const out = await dynamodb.send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: pk(incidentId), sk: `${roundSk(round)}#OWNER#${ownerId}` },
      ProjectionExpression: 'edited',
      ConsistentRead: true,
    }),
  );
  return out.Item?.edited as OwnerEdit | undefined;
}

/** Every round of an incident, oldest first, without the drafts (which can be large). */
export async function listRounds(incidentId: string): Promise<RoundRecord[]> {
  const items = await queryAll(dynamodb, {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
    // Drafts live under ROUND#nnnn#OWNER#…; projecting the round's own fields keeps them out.
    ProjectionExpression:
      'sk, incidentId, #r, phase, roundKey, draftedAt, owners, accountIds, broadcastId, promisedMinutes',
    ExpressionAttributeNames: { '#r': 'round' },
    ExpressionAttributeValues: { ':pk': pk(incidentId), ':r': 'ROUND#' },
    ConsistentRead: true,
  });
  return items
    .filter((item) => !String(item.sk).includes('#OWNER#'))
    .map(({ sk: _sk, ...rest }) => rest as unknown as RoundRecord);
}
