import { json, type HttpEvent, type HttpResult } from '../adapters/http.ts';
import { findIncident } from '../adapters/incidents.ts';
import { broadcastLogOf, logByAccount, logOf, type AnyLogEntry } from '../adapters/notification-log.ts';
import { currentRoster } from '../adapters/roster.ts';
import { findBroadcast } from '../adapters/broadcasts.ts';
import { progressOf } from '../delivery/progress.ts';
import { accountStatuses, tally } from '../delivery/status.ts';
import type { Roster } from '../core/roster.ts';
import { exportRows, toCsv } from './export.ts';

const STATUSES = new Set(['claimed', 'retrying', 'sent', 'sent_by_owner', 'failed']);

class BadRequest extends Error {}

async function rosterOrNone(): Promise<Roster | undefined> {
  // Names make the export readable; without a roster the ids still say everything.
  return currentRoster().catch(() => undefined);
}

function query(event: HttpEvent, name: string): string | undefined {
  const value = event.queryStringParameters?.[name];
  return value === undefined || value === '' ? undefined : value;
}

function wantsCsv(event: HttpEvent): boolean {
  const format = query(event, 'format');
  if (format !== undefined && format !== 'csv' && format !== 'json')
    throw new BadRequest('query parameter "format" must be json or csv');
  return format === 'csv' || (format === undefined && /text\/csv/.test(event.headers?.accept ?? ''));
}

function filtered(event: HttpEvent, entries: AnyLogEntry[]): AnyLogEntry[] {
  const status = query(event, 'status');
  if (status !== undefined && !STATUSES.has(status))
    throw new BadRequest(`query parameter "status" must be one of ${[...STATUSES].join(', ')}`);
  const channel = query(event, 'channel');
  return entries.filter((e) => (!status || e.status === status) && (!channel || e.channel === channel));
}

async function respond(
  event: HttpEvent,
  name: string,
  entries: AnyLogEntry[],
  extra: Record<string, unknown>,
): Promise<HttpResult> {
  const rows = exportRows(entries, await rosterOrNone());
  if (wantsCsv(event)) {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`,
      },
      body: toCsv(rows),
    };
  }
  const statuses = accountStatuses(entries);
  return json(200, { ...extra, summary: tally(statuses), accounts: statuses, notifications: rows });
}

/** GET /api/incidents/{id}/notifications[?round=&status=&channel=&format=csv] */
export async function incidentNotifications(event: HttpEvent, incidentId: string): Promise<HttpResult> {
  return guarded(async () => {
    const incident = await findIncident(incidentId);
    if (!incident) return json(404, { error: `incident ${incidentId} not found` });
    const roundText = query(event, 'round');
    const round = roundText === undefined ? undefined : Number(roundText);
    if (round !== undefined && (!Number.isInteger(round) || round < 1))
      throw new BadRequest('query parameter "round" must be a whole number from 1');
    const entries = filtered(event, await logOf(incidentId, round));
    const name = `notifications-${incidentId}${round ? `-round-${round}` : ''}`;
    return respond(event, name, entries, { incidentId, ...(round ? { round } : {}) });
  });
}

/** GET /api/accounts/{id}/notifications[?since=&limit=&status=&channel=&format=csv] — newest first */
export async function accountNotifications(event: HttpEvent, accountId: string): Promise<HttpResult> {
  return guarded(async () => {
    const limitText = query(event, 'limit');
    const limit = limitText === undefined ? 200 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new BadRequest('query parameter "limit" must be a whole number from 1 to 1000');
    const since = query(event, 'since');
    if (since !== undefined && Number.isNaN(Date.parse(since)))
      throw new BadRequest('query parameter "since" must be an ISO 8601 time');
    const entries = filtered(
      event,
      await logByAccount(accountId, { limit, ...(since ? { since: new Date(since).toISOString() } : {}) }),
    );
    return respond(event, `notifications-account-${accountId}`, entries, { accountId });
  });
}

/** GET /api/broadcasts/{id}[?format=csv] — the broadcast, its progress (n of N, ETA) and every channel */
export async function broadcastView(event: HttpEvent, broadcastId: string): Promise<HttpResult> {
  return guarded(async () => {
    const broadcast = await findBroadcast(broadcastId);
    if (!broadcast) return json(404, { error: `broadcast ${broadcastId} not found` });
    const entries = filtered(event, await broadcastLogOf(broadcastId));
    return respond(event, `broadcast-${broadcastId}`, entries, {
      broadcast,
      progress: await progressOf(broadcast),
    });
  });
}

async function guarded(work: () => Promise<HttpResult>): Promise<HttpResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BadRequest) return json(400, { error: error.message });
    throw error;
  }
}
