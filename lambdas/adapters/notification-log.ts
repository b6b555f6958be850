import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import { roundSk } from './rounds.ts';

export type LogChannel = 'slack' | 'email' | 'sms';
export type LogStatus = 'claimed' | 'sent' | 'sent_by_owner' | 'failed';

/**
 * One notification: (incident, round, account, channel, recipient). Claimed before the send and completed
 * after, so a retried step sends nothing twice (DEVELOPERS: nothing lost, nothing doubled).
 */
export interface LogEntry {
  incidentId: string;
  round: number;
  accountId: string;
  channel: LogChannel;
  recipient: string;
  senderId: string;
  status: LogStatus;
  claimedAt: string;
  sentAt?: string;
  providerId?: string;
  error?: string;
}

const pk = (incidentId: string) => `INCIDENT#${incidentId}`;
const sk = (e: Pick<LogEntry, 'round' | 'accountId' | 'channel' | 'recipient'>) =>
  `LOG#${roundSk(e.round).slice('ROUND#'.length)}#${e.accountId}#${e.channel}#${e.recipient}`;

export type Claim = { claimed: true } | { claimed: false; existing: LogEntry };

export async function claim(entry: Omit<LogEntry, 'status' | 'claimedAt'>, at: string): Promise<Claim> {
  try {
    await dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: pk(entry.incidentId), sk: sk(entry), ...entry, status: 'claimed', claimedAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { claimed: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const out = await dynamodb.send(
      new GetCommand({
        TableName: tableName(),
        Key: { pk: pk(entry.incidentId), sk: sk(entry) },
        ConsistentRead: true,
      }),
    );
    return { claimed: false, existing: out.Item as LogEntry };
  }
}

export async function complete(
  entry: Pick<LogEntry, 'incidentId' | 'round' | 'accountId' | 'channel' | 'recipient'>,
  outcome: { status: 'sent' | 'sent_by_owner' | 'failed'; at: string; providerId?: string; error?: string },
): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: pk(entry.incidentId), sk: sk(entry) },
      UpdateExpression: 'SET #s = :s, sentAt = :at, providerId = :p, #e = :e, gsi1pk = :g1, gsi1sk = :g2',
      ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
      ExpressionAttributeValues: {
        ':s': outcome.status,
        ':at': outcome.at,
        ':p': outcome.providerId ?? null,
        ':e': outcome.error ?? null,
        ':g1': `ACCOUNT#${entry.accountId}`,
        ':g2': `${outcome.at}#${entry.incidentId}`,
      },
    }),
  );
}

export async function logOf(incidentId: string, round?: number): Promise<LogEntry[]> {
  const prefix = round === undefined ? 'LOG#' : `LOG#${roundSk(round).slice('ROUND#'.length)}#`;
  const out: LogEntry[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk(incidentId), ':p': prefix },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, ...rest } = item;
      out.push(rest as LogEntry);
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}
