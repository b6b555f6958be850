import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../lambdas/domain/records/incident.ts';
import type { Retrospective } from '../../lambdas/domain/retrospective.ts';
import { slackIdOf } from '../support/slack.ts';
import { startWorld, type World } from '../support/world.ts';

/**
 * The comms retrospective from the table, as operators and the CMOC see it: a resolved SEV1 (30-minute
 * cadence) seeded into dynalite with three rounds. Acme (Ada's) heard every update on time from Ada;
 * Lumen (Lena's) got round 2 from Diego, a backup, ten minutes late, and its email failed; Corvid
 * (Marcus's) was never reached. The route reads it as JSON, CSV and Markdown; the closing notice DMs Ines,
 * the CMOC, a short version once, however often the step runs; the write-up reminder carries it too.
 */
let world: World;
const INCIDENT = 'QRETRO1';
const T0 = Date.UTC(2026, 10, 25, 10, 0);
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

const incident: IncidentRecord = {
  incidentId: INCIDENT,
  title: 'Exports are failing',
  severity: 'SEV1',
  status: 'resolved',
  services: ['exports'],
  regions: [],
  source: 'slack',
  startedAt: at(0),
  resolvedAt: at(70),
  cmocId: 'ines',
  leadId: 'tom',
  executionName: `incident-${INCIDENT}`,
  rounds: 3,
};

beforeAll(async () => {
  world = await startWorld();
  const { createIncident } = await import('../../lambdas/adapters/incidents.ts');
  const { saveRound } = await import('../../lambdas/adapters/rounds.ts');
  const { claim, complete } = await import('../../lambdas/adapters/notification-log.ts');
  await createIncident(incident);
  const accountIds = ['acme-rockets', 'lumen-education', 'corvid-games'];
  const phases = ['initial', 'update', 'resolution'] as const;
  for (const [i, phase] of phases.entries())
    await saveRound(
      {
        incidentId: INCIDENT,
        round: i + 1,
        phase,
        roundKey: `${INCIDENT}-${i + 1}`,
        draftedAt: at(i * 30),
        owners: ['ada', 'lena', 'marcus'],
        accountIds,
      },
      new Map(),
    );
  const log = async (
    round: number,
    accountId: string,
    senderId: string,
    minute: number,
    outcome: { status: 'sent' | 'failed'; error?: string; channel?: 'slack' | 'email' },
  ) => {
    const channel = outcome.channel ?? 'slack';
    const recipient = channel === 'email' ? `it@${accountId}.example` : `C-${accountId}`;
    const ref = { incidentId: INCIDENT, round, accountId, channel, recipient } as const;
    const claimed = await claim({ ...ref, senderId }, at(minute));
    if (!claimed.claimed) throw new Error('already claimed');
    const error = outcome.error ? { error: outcome.error } : {};
    await complete(
      ref,
      { status: outcome.status, at: at(minute), providerId: 'p', ...error },
      claimed.claimId,
    );
  };
  await log(1, 'acme-rockets', 'ada', 5, { status: 'sent' });
  await log(2, 'acme-rockets', 'ada', 34, { status: 'sent' });
  await log(3, 'acme-rockets', 'ada', 62, { status: 'sent' });
  await log(1, 'lumen-education', 'lena', 9, { status: 'sent' });
  await log(1, 'lumen-education', 'lena', 9, {
    status: 'failed',
    channel: 'email',
    error: 'ses: MessageRejected',
  });
  await log(2, 'lumen-education', 'diego', 49, { status: 'sent' });
  await log(3, 'lumen-education', 'lena', 63, { status: 'sent' });
  await log(1, 'corvid-games', 'marcus', 7, { status: 'failed', error: 'channel_not_found' });
  // Lumen answered Diego's late update: a reply logged on the incident, as the Slack events route does.
  const { recordReply } = await import('../../lambdas/adapters/replies.ts');
  await recordReply({
    kind: 'reply',
    incidentId: INCIDENT,
    round: 2,
    accountId: 'lumen-education',
    channel: 'C-lumen-education',
    messageTs: '1764064260.000100',
    userId: 'U0CUSTOMER',
    quote: 'Any news on exports?',
    repliedToSenderId: 'diego',
    asCompany: false,
    receivedAt: at(51),
    forwardedTo: ['diego'],
    status: 'forwarded',
  });
});
afterAll(() => world?.close());

async function get(query: Record<string, string> = {}, id = INCIDENT) {
  const { handler } = await import('../../lambdas/handlers/http/read-api/handler.ts');
  const routeKey = 'GET /api/incidents/{id}/retrospective';
  return handler({
    routeKey,
    rawPath: `/api/incidents/${id}/retrospective`,
    pathParameters: { id },
    queryStringParameters: query,
    headers: {},
    requestContext: { http: { method: 'GET', path: `/api/incidents/${id}/retrospective` } },
  } as never);
}

describe('GET /api/incidents/{id}/retrospective', () => {
  it('JSON: per account the first message, each update on time or late, who sent it, the failures', async () => {
    const response = await get();
    expect(response.statusCode, response.body).toBe(200);
    const { retrospective: retro } = JSON.parse(response.body ?? '{}') as { retrospective: Retrospective };
    expect(retro.summary).toMatchObject({
      accounts: 3,
      told: 2,
      neverTold: 1,
      firstMessage: { medianMinutes: 5, longestMinutes: 9 },
      updates: 6,
      onTime: 3,
      late: 1,
      missed: 0,
      bySender: { owner: 5, backup: 1, cmoc: 0, company: 0, broadcast: 0 },
      covered: 1,
      failures: 2,
      replies: 1,
    });
    const lumen = retro.accounts.find((a) => a.accountId === 'lumen-education')!;
    expect(lumen.replies).toBe(1);
    expect(lumen.updates[1]).toMatchObject({
      senderId: 'diego',
      sentBy: 'backup',
      timing: 'late',
      lateByMinutes: 10,
      promised: { minutes: 30, dueAt: at(39) },
    });
    expect(retro.accounts.find((a) => a.accountId === 'corvid-games')).toMatchObject({
      updates: [],
      roundsNotReached: [1],
    });
    expect(response.body).not.toContain('it@lumen-education.example');
    expect(response.body).not.toContain('Any news on exports?');
  });

  it('CSV: one row per update, promised update missed, failure and account never told', async () => {
    const response = await get({ format: 'csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    const lines = (response.body ?? '').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(
      /^incident_id,account_id,account_name,owner_id,kind,round,broadcast_id,phase,at,/,
    );
    expect(lines).toHaveLength(1 + 6 + 2 + 1);
    expect(lines.find((l) => l.includes(',diego,'))).toMatch(
      /lumen-education,Lumen .*,update,2,,update,.*,Diego .*,backup,slack,late,30,.*,10,/,
    );
    expect(lines.filter((l) => l.includes(',not_told,'))).toHaveLength(1);
  });

  it('Markdown: the headline, a row per account and the late update named', async () => {
    const response = await get({ format: 'md' });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/markdown; charset=utf-8');
    const body = response.body ?? '';
    expect(body).toMatch(/^# Comms retrospective · SEV1 · Exports are failing \(QRETRO1\)/);
    expect(body).toContain('- Cadence: 3 of 4 follow-ups on time, 1 late.');
    expect(body).toMatch(
      /round 2: due 10:39 UTC, came 10:49 UTC \(10 min late\), sent by Diego .* \(backup\)/,
    );
    expect(body).toMatch(/\| Corvid Games \| Marcus .* \| never told \| 0 \|/);
  });

  it('is served on the local runtime at the same path as in API Gateway', async () => {
    const url = `${world.runtime.apiUrl}/api/incidents/${INCIDENT}/retrospective`;
    const md = await fetch(`${url}?format=md`);
    expect(md.status).toBe(200);
    expect(await md.text()).toContain('(QRETRO1)');
    const bad = await fetch(`${url}?format=pdf`);
    expect(bad.status).toBe(400);
  });

  it('an unknown format is a 400 naming the allowed values; an unknown incident a 404', async () => {
    const bad = await get({ format: 'xml' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body ?? '{}')).toEqual({
      error: 'query parameter "format" must be one of json, csv, md',
    });
    const missing = await get({}, 'QNOPE');
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body ?? '{}')).toEqual({ error: 'incident QNOPE not found' });
  });
});

describe('the CMOC hears the short version when the incident closes', () => {
  const notify = async (kind: 'closed' | 'postmortem_reminder') => {
    const { handler } = await import('../../lambdas/handlers/steps/notify-cmoc/handler.ts');
    return handler({ incidentId: INCIDENT, kind });
  };
  const retroDms = () =>
    world.slack
      .messages({ user: slackIdOf(world, 'ines') })
      .filter((m) => (m.text ?? '').includes('comms retrospective'));

  it('once, with the headline and the late update, however often the closing step runs', async () => {
    await notify('closed');
    await notify('closed');
    const dms = retroDms();
    expect(dms).toHaveLength(1);
    expect(dms[0]!.text).toContain(
      '2 of 3 accounts told; first message after 5 min (median), 9 min at the longest; 1 never told.',
    );
    expect(dms[0]!.text).toContain('6 updates sent by owner 5, backup 1; owners covered 1 time.');
    expect(dms[0]!.text).toMatch(/• Lumen .*, round 2: due 10:39 UTC, came 10:49 UTC \(10 min late\)/);
    expect(dms[0]!.text).toContain(`GET /api/incidents/${INCIDENT}/retrospective`);
  });

  it('the write-up reminder carries the comms section for the write-up', async () => {
    await notify('postmortem_reminder');
    const toLead = world.slack
      .messages({ user: slackIdOf(world, 'tom') })
      .filter((m) => (m.text ?? '').includes('engineering lead'));
    expect(toLead).toHaveLength(1);
    expect(toLead[0]!.text).toMatch(/\*For the write-up, customer comms:\*\n• 2 of 3 accounts told/);
    expect(toLead[0]!.text).toContain('2 failed recipients; 1 customer reply.');
  });
});
