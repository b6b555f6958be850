import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import type { Phase } from '../payloads.ts';

/** A drafted update round. Texts are stored per owner, so 500 accounts never make one oversized item. */
export interface RoundRecord {
  incidentId: string;
  round: number;
  phase: Phase;
  roundKey: string;
  draftedAt: string;
  owners: string[];
  accountIds: string[];
}

export interface AccountDraft {
  accountId: string;
  slack: { text: string; blocks?: unknown[] };
  email: { subject: string; text: string; html?: string };
  sms?: { text: string };
}

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
  for (const [ownerId, accounts] of drafts) {
    await dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: pk(round.incidentId), sk: `${roundSk(round.round)}#OWNER#${ownerId}`, ownerId, accounts },
      }),
    );
  }
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: { pk: pk(round.incidentId), sk: roundSk(round.round), ...round },
    }),
  );
  try {
    await dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: pk(round.incidentId), sk: `ROUNDKEY#${round.roundKey}`, round: round.round },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
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
