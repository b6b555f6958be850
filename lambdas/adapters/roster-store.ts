import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RosterSchema, type Roster } from '../domain/roster.ts';
import { writeAll } from './batch-write.ts';
import { queryAll } from './query-all.ts';

/**
 * The roster lives in the table as one item per person and per account plus one for the rest, so a
 * 500-account company stays far below DynamoDB's 400 KB item limit.
 */
const PK = 'ROSTER';
const CACHE_MS = 60_000;
let cached: { at: number; table: string; roster: Roster } | undefined;

export interface RosterStore {
  tableName: string;
  dynamodb: DynamoDBDocumentClient;
}

export interface ImportResult {
  people: number;
  accounts: number;
  removed: number;
}

export async function importRoster(roster: Roster, store: RosterStore): Promise<ImportResult> {
  const { people, accounts, ...rest } = roster;
  const items = [
    { pk: PK, sk: 'META', data: rest },
    ...people.map((person) => ({ pk: PK, sk: `PERSON#${person.id}`, data: person })),
    ...accounts.map((account) => ({ pk: PK, sk: `ACCOUNT#${account.id}`, data: account })),
  ];
  const keep = new Set(items.map((item) => item.sk));
  const stale = (await rosterItems(store)).filter((item) => !keep.has(item.sk)).map((item) => item.sk);
  await writeAll(store.dynamodb, store.tableName, [
    ...items.map((Item) => ({ PutRequest: { Item } })),
    ...stale.map((sk) => ({ DeleteRequest: { Key: { pk: PK, sk } } })),
  ]);
  cached = undefined;
  return { people: people.length, accounts: accounts.length, removed: stale.length };
}

/** The current roster, cached briefly per warm function. Validated again on read: the table is not trusted. */
export async function loadRoster(store: RosterStore): Promise<Roster> {
  if (cached && cached.table === store.tableName && Date.now() - cached.at < CACHE_MS) return cached.roster;
  const items = await rosterItems(store);
  const meta = items.find((item) => item.sk === 'META');
  if (!meta) {
    throw new RosterMissingError(`No roster in table ${store.tableName}: run \`comms roster import <file>\``);
  }
  const roster = RosterSchema.parse({
    ...(meta.data as object),
    people: items.filter((item) => item.sk.startsWith('PERSON#')).map((item) => item.data),
    accounts: items.filter((item) => item.sk.startsWith('ACCOUNT#')).map((item) => item.data),
  });
  cached = { at: Date.now(), table: store.tableName, roster };
  return roster;
}

export class RosterMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosterMissingError';
  }
}

async function rosterItems(store: RosterStore): Promise<{ sk: string; data: unknown }[]> {
  const items = await queryAll(store.dynamodb, {
    TableName: store.tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': PK },
    ConsistentRead: true,
  });
  return items.map((item) => ({ sk: String(item.sk), data: item.data }));
}
