import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import type { Severity } from '../contract/payloads.ts';
import { sleep } from './sleep.ts';

/**
 * The honest duplicate of `/comms declare`: the same person pressing Enter twice, or retrying after a slow
 * answer. The first declaration claims a small item keyed by a hash of what was declared; a second within
 * the window finds the claim and is answered with the first incident instead of starting another.
 *
 *   DECLARE#<sha256 of person id, severity, title, services> / META   claimedAt, then incidentId (TTL)
 *
 * The claim is a conditional put, so two identical commands at the same moment cannot both win. The loser
 * waits briefly for the winner to name its incident (Slack gives a slash command 3 seconds to answer).
 */
export const WINDOW_SECONDS = 10 * 60;
/** A claim without an incident this old was left by a crashed attempt (the function times out in 10 s). */
const TAKEOVER_MS = 30_000;
const WAIT_MS = 2_000;
const POLL_MS = 100;

export interface Declaration {
  /** The roster person id: nothing else about the person goes into the key. */
  personId: string;
  severity: Severity;
  title: string;
  /** The services the incident covers (all of them when none were named). */
  services: string[];
}

/** Case, surrounding and repeated whitespace, and Unicode spelling variants do not make a new title. */
export function normaliseTitle(title: string): string {
  return title.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function declarationKey(d: Declaration): { pk: string; sk: string } {
  const parts = [d.personId, d.severity, normaliseTitle(d.title), [...new Set(d.services)].sort()];
  // JSON keeps the parts apart: no title can pass itself off as a different (title, services) pair.
  const hash = createHash('sha256').update(JSON.stringify(parts), 'utf8').digest('hex');
  return { pk: `DECLARE#${hash}`, sk: 'META' };
}

export type ClaimOutcome =
  { kind: 'claimed'; claimedAt: number } | { kind: 'declared'; incidentId: string } | { kind: 'in-flight' };

async function read(key: { pk: string; sk: string }) {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return out.Item;
}

export async function claimDeclaration(d: Declaration, now: Date): Promise<ClaimOutcome> {
  const key = declarationKey(d);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const claimedAt = now.getTime();
  const won = await conditionally(() =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, claimedAt, expiresAt: nowSeconds + WINDOW_SECONDS },
        // dynalite never expires items and DynamoDB's TTL sweep lags: an expired claim counts as absent.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSeconds',
        ExpressionAttributeValues: { ':nowSeconds': nowSeconds },
      }),
    ),
  );
  if (won) return { kind: 'claimed', claimedAt };

  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const item = await read(key);
    if (!item) return claimDeclaration(d, now); // released by a failed attempt meanwhile
    if (typeof item.incidentId === 'string') return { kind: 'declared', incidentId: item.incidentId };
    const seen = Number(item.claimedAt);
    if (seen < claimedAt - TAKEOVER_MS) {
      const taken = await conditionally(() =>
        dynamodb.send(
          new UpdateCommand({
            TableName: tableName(),
            Key: key,
            UpdateExpression: 'SET claimedAt = :now, expiresAt = :exp',
            ConditionExpression: 'claimedAt = :seen AND attribute_not_exists(incidentId)',
            ExpressionAttributeValues: {
              ':now': claimedAt,
              ':exp': nowSeconds + WINDOW_SECONDS,
              ':seen': seen,
            },
          }),
        ),
      );
      if (taken) return { kind: 'claimed', claimedAt };
    }
    if (Date.now() >= deadline) return { kind: 'in-flight' };
    await sleep(POLL_MS);
  }
}

/** The claim's incident exists now: later duplicates are answered with it. */
export async function recordDeclared(d: Declaration, incidentId: string): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: declarationKey(d),
      UpdateExpression: 'SET incidentId = :id',
      ExpressionAttributeValues: { ':id': incidentId },
    }),
  );
}

/** Declaring failed before an incident existed: forget the claim so the person's retry declares it. */
export async function releaseDeclaration(d: Declaration, claimedAt: number): Promise<void> {
  await conditionally(() =>
    dynamodb.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: declarationKey(d),
        ConditionExpression: 'claimedAt = :mine AND attribute_not_exists(incidentId)',
        ExpressionAttributeValues: { ':mine': claimedAt },
      }),
    ),
  );
}
