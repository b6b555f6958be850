import type { Roster } from '../domain/roster.ts';
import { dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';
import { loadRoster } from './roster-store.ts';

/**
 * The roster in this deployment's table. Kept apart from roster-store.ts, which the CLI imports with a store
 * of its own and must not pull in the function's environment.
 */
export const currentRoster = (): Promise<Roster> => loadRoster({ tableName: tableName(), dynamodb });
