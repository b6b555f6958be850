import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../lambdas/domain/roster.ts';
import type { IncidentRecord } from '../../lambdas/domain/records/incident.ts';
import type { LogEntry } from '../../lambdas/domain/records/notification.ts';
import type { ToldState } from '../../lambdas/domain/told.ts';
import { startWorld, type World } from '../support/world.ts';

/**
 * "Who has been told" as the read API, the CMOC's round summary and `/comms status` show it, on one log in
 * the table: an incident whose second round was drafted for nine accounts, three of which have a log entry
 * so far (one sent, one failed for good, one still being sent). The six nobody has sent to yet are pending
 * everywhere, and the three surfaces say the same about every account.
 */
let world: World;
let accounts: Account[];
const INCIDENT = 'QTOLD9';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

beforeAll(async () => {
  world = await startWorld();
  accounts = world.roster.accounts.slice(0, 9);
  const { createIncident } = await import('../../lambdas/adapters/incidents.ts');
  const { saveRound } = await import('../../lambdas/adapters/rounds.ts');
  const { claim, complete } = await import('../../lambdas/adapters/notification-log.ts');
  const incident: IncidentRecord = {
    incidentId: INCIDENT,
    title: 'Event ingestion is delayed',
    severity: 'SEV2',
    status: 'triggered',
    services: ['ingestion'],
    regions: [],
    source: 'slack',
    startedAt: at(0),
    cmocId: 'ines',
    executionName: `incident-${INCIDENT}`,
    rounds: 2,
  };
  await createIncident(incident);
  for (const round of [1, 2])
    await saveRound(
      {
        incidentId: INCIDENT,
        round,
        phase: round === 1 ? 'initial' : 'update',
        roundKey: `${INCIDENT}-round-${round}`,
        draftedAt: at(round * 10),
        owners: [...new Set(accounts.map((a) => a.ownerId))],
        accountIds: accounts.map((a) => a.id),
      },
      new Map(),
    );
  const log = async (
    round: number,
    account: Account,
    channel: 'slack' | 'email',
    outcome?: 'sent' | 'failed',
  ) => {
    const recipient =
      channel === 'slack' ? (account.slackChannelId ?? 'C0NONE') : `ops@${account.id}.example`;
    const ref = { incidentId: INCIDENT, round, accountId: account.id, channel, recipient };
    const claimed = await claim({ ...ref, senderId: account.ownerId }, at(round * 10 + 1));
    if (!claimed.claimed) throw new Error('already claimed');
    if (outcome === 'sent')
      await complete(ref, { status: 'sent', at: at(round * 10 + 2), providerId: 'p1' }, claimed.claimId);
    if (outcome === 'failed')
      await complete(
        ref,
        { status: 'failed', at: at(round * 10 + 2), error: 'ses: MessageRejected' },
        claimed.claimId,
      );
  };
  // Round 1 reached all nine; round 2 so far: one sent, one failed for good, one in flight.
  for (const account of accounts) await log(1, account, 'slack', 'sent');
  await log(2, accounts[0]!, 'slack', 'sent');
  await log(2, accounts[1]!, 'email', 'failed');
  await log(2, accounts[2]!, 'slack');
});
afterAll(() => world?.close());

async function readApi(query: Record<string, string> = {}) {
  const { handler } = await import('../../lambdas/handlers/http/read-api/handler.ts');
  const routeKey = 'GET /api/incidents/{id}/notifications';
  return handler({
    routeKey,
    rawPath: routeKey,
    pathParameters: { id: INCIDENT },
    queryStringParameters: query,
    headers: {},
    requestContext: { http: { method: 'GET', path: routeKey } },
  } as never);
}

interface ApiBody {
  summary: Record<ToldState | 'total', number>;
  accounts: { accountId: string; state: ToldState; inFlight: number; round?: number }[];
  rounds?: { round: number; summary: Record<ToldState | 'total', number> }[];
}
const bodyOf = async (query: Record<string, string> = {}) => {
  const response = await readApi(query);
  expect(response.statusCode, response.body).toBe(200);
  return JSON.parse(response.body ?? '{}') as ApiBody;
};

const ROUND_2 = { notified: 1, pending: 7, failed: 1, total: 9 };

describe('the read API counts every account of the round, logged or not', () => {
  it('one round: nine accounts, three logged → 1 notified, 7 pending (6 untold, 1 in flight), 1 failed', async () => {
    const body = await bodyOf({ round: '2' });
    expect(body.summary).toEqual(ROUND_2);
    expect(body.accounts.map((a) => a.accountId)).toEqual(accounts.map((a) => a.id));
    expect(body.accounts[2]).toMatchObject({ state: 'pending', inFlight: 1 });
  });

  it('the whole incident: each account where it stands in its latest round, and each round counted', async () => {
    const body = await bodyOf();
    expect(body.summary).toEqual(ROUND_2);
    expect(body.accounts.every((a) => a.round === 2)).toBe(true);
    expect(body.rounds).toEqual([
      expect.objectContaining({ round: 1, summary: { notified: 9, pending: 0, failed: 0, total: 9 } }),
      expect.objectContaining({ round: 2, summary: ROUND_2 }),
    ]);
  });

  it('a status filter narrows the rows, not who has been told', async () => {
    const body = await bodyOf({ round: '2', status: 'failed' });
    expect(body.summary).toEqual(ROUND_2);
  });

  it('the CSV lists the six accounts nobody has sent to yet as pending rows', async () => {
    const csv = (await readApi({ round: '2', format: 'csv' })).body ?? '';
    const rows = csv.trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(3 + 6);
    const pending = rows.filter((r) => r.split(',')[11] === 'pending');
    expect(pending.map((r) => r.split(',')[4])).toEqual(accounts.slice(3).map((a) => a.id));
  });
});

describe('the read API, the CMOC summary and /comms status agree on the same log', () => {
  it('per account and in the counts', async () => {
    const api = await bodyOf({ round: '2' });

    const { logOf } = await import('../../lambdas/adapters/notification-log.ts');
    const { getRound } = await import('../../lambdas/adapters/rounds.ts');
    const { accountStates, stateLines } = await import('../../lambdas/messages/account-lines.ts');
    const round = (await getRound(INCIDENT, 2))!;
    const log: LogEntry[] = await logOf(INCIDENT, 2);
    const cmoc = accountStates(world.roster, round.accountIds, log);
    const { counts } = stateLines(cmoc);

    const { status } = await import('../../lambdas/handlers/http/slack-commands/status.ts');
    const reply = await status(
      { roster: world.roster, now: new Date(at(25)), slackUserId: 'U0INES' },
      INCIDENT,
    );
    const lines = reply.split('\n');
    const ICON: Record<string, ToldState> = {
      '✅': 'notified',
      '⚠️': 'failed',
      '⏳': 'pending',
      '📤': 'pending',
    };
    const commsState = (account: Account) => {
      const line = lines.find((l) => l.includes(` ${account.name} — `));
      const icon = Object.keys(ICON).find((i) => line?.startsWith(i));
      return icon ? ICON[icon] : `no line for ${account.name}`;
    };

    const byApi = Object.fromEntries(api.accounts.map((a) => [a.accountId, a.state]));
    const byCmoc = Object.fromEntries(cmoc.map((a) => [a.accountId, a.state]));
    const byComms = Object.fromEntries(accounts.map((a) => [a.id, commsState(a)]));
    expect(byCmoc).toEqual(byApi);
    expect(byComms).toEqual(byApi);

    expect(counts).toBe('1 notified, 7 pending, 1 failed of 9 accounts.');
    expect(reply).toContain('Round 2 (update): 1 notified · 7 pending (1 sending) · 1 failed, of 9 accounts');
    expect(lines.filter((l) => l.startsWith('📤'))).toHaveLength(1);
  });
});
