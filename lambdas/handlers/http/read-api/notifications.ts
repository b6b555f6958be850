import { json, type HttpEvent, type HttpResult } from '../../../adapters/http.ts';
import { findIncident } from '../../../adapters/incidents.ts';
import { broadcastLogOf, correctionsOf, logByAccount, logOf } from '../../../adapters/notification-log.ts';
import type { AnyLogEntry } from '../../../domain/records/notification.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { batchesOf, findBroadcast } from '../../../adapters/broadcasts.ts';
import { getRound, listRounds } from '../../../adapters/rounds.ts';
import { progressOf } from '../../../services/delivery/progress.ts';
import { tallyTold, toldByLatestRound, whoWasTold, type AccountTold } from '../../../domain/told.ts';
import type { Roster } from '../../../domain/roster.ts';
import { repliesOf } from '../../../adapters/replies.ts';
import type { ReplyEntry } from '../../../domain/records/notification.ts';
import { exportRows, replyRows, toCsv, untoldRows, type UntoldContext } from './export.ts';

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

/**
 * Who has been told comes from the whole log of what was asked for, whatever the filters: `status` and
 * `channel` narrow the rows, not the answer (asking for the failed rows does not make an account that
 * Slack reached "failed"). The CSV also lists each account with nothing logged yet, so it shows every affected account.
 */
async function respond(
  event: HttpEvent,
  name: string,
  entries: AnyLogEntry[],
  told: readonly (AccountTold & { round?: number })[],
  context: UntoldContext,
  extra: Record<string, unknown>,
  replies: readonly ReplyEntry[] = [],
): Promise<HttpResult> {
  const shown = filtered(event, entries);
  const roster = await rosterOrNone();
  const unfiltered = query(event, 'status') === undefined && query(event, 'channel') === undefined;
  // Replies are not sends: they come with the whole log, never with a send's status or channel filter.
  const rows = [...exportRows(shown, roster), ...(unfiltered ? replyRows(replies, roster) : [])];
  if (wantsCsv(event)) {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`,
      },
      body: toCsv(unfiltered ? [...rows, ...untoldRows(told, context, roster)] : rows),
    };
  }
  return json(200, { ...extra, summary: tallyTold(told), accounts: told, notifications: rows });
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
    const [entries, allReplies] = await Promise.all([logOf(incidentId, round), repliesOf(incidentId)]);
    const replies = allReplies.filter((r) => round === undefined || r.round === round);
    // The rows list the corrections too; who has been told is read from the tellings alone.
    const lines = [...entries, ...(await correctionsOf(incidentId, round))];
    const name = `notifications-${incidentId}${round ? `-round-${round}` : ''}`;
    const context = { incidentId };
    if (round !== undefined) {
      // One round: every account it was drafted for, logged or not.
      const told = whoWasTold((await getRound(incidentId, round))?.accountIds ?? [], entries);
      return respond(event, name, lines, told, { ...context, round }, { incidentId, round }, replies);
    }
    // The whole incident: each account where it stands now (its latest round), and each round's own count.
    const rounds = (await listRounds(incidentId)).sort((a, b) => a.round - b.round);
    const told = toldByLatestRound(rounds, entries);
    const perRound = rounds.map((r) => ({
      round: r.round,
      phase: r.phase,
      summary: tallyTold(
        whoWasTold(
          r.accountIds,
          entries.filter((e) => e.round === r.round),
        ),
      ),
    }));
    return respond(event, name, lines, told, context, { incidentId, rounds: perRound }, replies);
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
    const entries = await logByAccount(accountId, {
      limit,
      ...(since ? { since: new Date(since).toISOString() } : {}),
    });
    // Across incidents and broadcasts there is no audience to be missing from: what the log holds.
    const told = whoWasTold([], entries);
    return respond(event, `notifications-account-${accountId}`, entries, told, {}, { accountId });
  });
}

/** GET /api/broadcasts/{id}[?format=csv] — the broadcast, its progress (n of N, ETA) and every channel */
export async function broadcastView(event: HttpEvent, broadcastId: string): Promise<HttpResult> {
  return guarded(async () => {
    const broadcast = await findBroadcast(broadcastId);
    if (!broadcast) return json(404, { error: `broadcast ${broadcastId} not found` });
    const entries = await broadcastLogOf(broadcastId);
    // The audience it was planned for: every channel in its batches, posted yet or not.
    const audience = (await batchesOf(broadcastId)).flatMap((b) => b.targets.map((t) => t.accountId));
    const told = whoWasTold(audience, entries);
    return respond(
      event,
      `broadcast-${broadcastId}`,
      entries,
      told,
      { broadcastId },
      {
        broadcast,
        progress: await progressOf(broadcast),
      },
    );
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
