import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import { queryAll } from './query-all.ts';
import { roundSk } from './rounds.ts';

/**
 * A correction of one sender's update in one round: the corrected text, who corrected it and when. Its
 * id is the submission's (the same on every delivery of its follow-up), so a repeated follow-up finds
 * the record it wrote instead of starting a second correction. The per-recipient sends are notification
 * log entries carrying this id (adapters/notification-log.ts).
 */
export interface CorrectionRecord {
  correctionId: string;
  incidentId: string;
  round: number;
  /** Whose update was corrected (the person who sent it). */
  senderId: string;
  /** Who corrected it: the sender, or the incident's CMOC. */
  by: string;
  at: string;
  /** The corrected body, as typed (plain text, without the per-account greeting). */
  text: string;
}

const key = (c: Pick<CorrectionRecord, 'incidentId' | 'round' | 'correctionId'>) => ({
  pk: `INCIDENT#${c.incidentId}`,
  sk: `CORRECTION#${roundSk(c.round).slice('ROUND#'.length)}#${c.correctionId}`,
});

/** Writes the correction once; a repeat keeps the first record and returns it. */
export async function saveCorrection(record: CorrectionRecord): Promise<CorrectionRecord> {
  const written = await conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key(record), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  if (written) return record;
  const mine = (await correctionsOfRound(record.incidentId, record.round)).find(
    (c) => c.correctionId === record.correctionId,
  );
  return mine ?? record;
}

/** A round's corrections, oldest first. */
export async function correctionsOfRound(incidentId: string, round: number): Promise<CorrectionRecord[]> {
  const items = await queryAll(dynamodb, {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: {
      ':pk': `INCIDENT#${incidentId}`,
      ':p': `CORRECTION#${roundSk(round).slice('ROUND#'.length)}#`,
    },
    ConsistentRead: true,
  });
  return items
    .map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as CorrectionRecord)
    .sort((a, b) => a.at.localeCompare(b.at));
}
