import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../../lambdas/domain/roster.ts';
import type { LogEntry } from '../../../lambdas/domain/records/notification.ts';
import type { DeliverUpdateInput, DeliverUpdateOutput } from '../../../lambdas/contract/payloads.ts';
import { sentEmails } from '../../../local/ses.ts';
import { seedRound } from '../../support/seed.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * The delivery step against the stand-ins: routing per severity and account, Slack as a person with
 * threading, SES one message per recipient, Twilio SMS for high-touch accounts, and a step that runs again
 * (as a Step Functions retry does) sending nothing twice.
 */
let world: World;
let deliver: (input: DeliverUpdateInput) => Promise<DeliverUpdateOutput>;
let logOf: (incidentId: string, round?: number) => Promise<LogEntry[]>;

beforeAll(async () => {
  world = await startWorld();
  deliver = (await import('../../../lambdas/handlers/steps/deliver-update/handler.ts')).handler;
  logOf = (await import('../../../lambdas/adapters/notification-log.ts')).logOf;
});
afterAll(() => world?.close());

const person = (id: string) => world.roster.people.find((p) => p.id === id)!;
const input = (
  incidentId: string,
  round: number,
  ownerId: string,
  extra: Partial<DeliverUpdateInput> = {},
) => ({
  incidentId,
  round,
  ownerId,
  senderId: ownerId,
  mode: 'send' as const,
  asCompany: false,
  ...extra,
});
const postsIn = (channel: string) => world.slack.messages({ channel }).filter((m) => !m.ephemeralTo);
const emailsTo = async (address: string) =>
  (await sentEmails(world.sesUrl)).filter((m) => m.destination.to.includes(address));

describe('SEV1: Slack, then every email contact, then SMS for high-touch accounts', () => {
  let accounts: Account[];
  beforeAll(async () => {
    ({ accounts } = await seedRound(world.roster, {
      incidentId: 'QSEV1A',
      severity: 'SEV1',
      services: ['ingestion'],
      round: 1,
    }));
  });

  it("reaches each of Ada's accounts through every channel it has, signed by Ada", async () => {
    const result = await deliver(input('QSEV1A', 1, 'ada'));
    const mine = accounts.filter((a) => a.ownerId === 'ada');
    const recipients = mine.flatMap((a) => [
      ...(a.slackChannelId ? [a.slackChannelId] : []),
      ...a.emails,
      ...(a.tier === 'high-touch' ? a.smsNumbers : []),
    ]);
    expect(result).toEqual({ sent: recipients.length, alreadySent: 0, failed: 0, outOfDate: false });

    for (const account of mine) {
      const [post, ...more] = postsIn(account.slackChannelId!);
      expect(more).toEqual([]);
      expect(post?.username).toBe('Ada Okafor');
      expect(post?.metadata).toMatchObject({
        event_type: 'incident_update',
        event_payload: { incident_id: 'QSEV1A', round: 1, account_id: account.id },
      });
      for (const address of account.emails) {
        const mail = await emailsTo(address);
        expect(mail).toHaveLength(1);
        expect(mail[0]?.from).toContain('Ada Okafor');
        expect(mail[0]?.replyTo).toEqual([person('ada').email]);
        expect(mail[0]?.body.html).toContain('<p');
      }
    }
    const acme = mine.find((a) => a.tier === 'high-touch')!;
    expect(world.twilio.messages({ to: acme.smsNumbers[0]! })).toHaveLength(1);
    const bluebird = mine.find((a) => a.tier !== 'high-touch')!;
    expect(bluebird.smsNumbers).toEqual([]);

    const log = await logOf('QSEV1A', 1);
    expect(log.map((e) => `${e.accountId}/${e.channel}/${e.recipient}`).sort()).toEqual(
      mine
        .flatMap((a) => [
          `${a.id}/slack/${a.slackChannelId}`,
          ...a.emails.map((m) => `${a.id}/email/${m}`),
          ...(a.tier === 'high-touch' ? a.smsNumbers.map((n) => `${a.id}/sms/${n}`) : []),
        ])
        .sort(),
    );
    for (const entry of log) {
      expect(entry).toMatchObject({ status: 'sent', senderId: 'ada', attempts: 1 });
      expect(entry.providerId).toBeTruthy();
    }
  });

  it('sends nothing again when the step runs again', async () => {
    const before = world.slack.calls('chat.postMessage').length;
    const mailsBefore = (await sentEmails(world.sesUrl)).length;
    const smsBefore = world.twilio.messages().length;
    const again = await deliver(input('QSEV1A', 1, 'ada'));
    expect(again.sent).toBe(0);
    expect(again.alreadySent).toBeGreaterThan(0);
    expect(world.slack.calls('chat.postMessage')).toHaveLength(before);
    expect(await sentEmails(world.sesUrl)).toHaveLength(mailsBefore);
    expect(world.twilio.messages()).toHaveLength(smsBefore);
  });

  it('threads the next round under the first post in each channel', async () => {
    await seedRound(world.roster, {
      incidentId: 'QSEV1A',
      severity: 'SEV1',
      services: ['ingestion'],
      round: 2,
    });
    await deliver(input('QSEV1A', 2, 'ada'));
    for (const account of accounts.filter((a) => a.ownerId === 'ada' && a.slackChannelId)) {
      const [first, second] = postsIn(account.slackChannelId!);
      expect(second?.threadTs).toBe(first?.ts);
    }
  });
});

describe('SEV2: Slack or email, the first the account has', () => {
  it('posts to Slack only, and emails the account without a Slack channel', async () => {
    // Feature flags: Marcus owns nimbus-crm (no Slack channel).
    const { accounts } = await seedRound(world.roster, {
      incidentId: 'QSEV2A',
      severity: 'SEV2',
      services: ['feature-flags'],
      round: 1,
    });
    const nimbus = accounts.find((a) => a.id === 'nimbus-crm')!;
    expect(nimbus.slackChannelId).toBeUndefined();
    await deliver(input('QSEV2A', 1, 'marcus'));
    const log = await logOf('QSEV2A', 1);
    expect(log.map((e) => [e.accountId, e.channel, e.status])).toEqual([['nimbus-crm', 'email', 'sent']]);
    expect(await emailsTo(nimbus.emails[0]!)).toHaveLength(1);

    await deliver(input('QSEV2A', 1, 'ada'));
    const ada = (await logOf('QSEV2A', 1)).filter((e) => e.senderId === 'ada');
    expect(ada.length).toBeGreaterThan(0);
    expect(new Set(ada.map((e) => e.channel))).toEqual(new Set(['slack']));
  });
});

describe('who sends', () => {
  it('a backup sends signed by themselves; the log names them', async () => {
    await seedRound(world.roster, {
      incidentId: 'QBACKUP',
      severity: 'SEV3',
      services: ['billing'],
      round: 1,
    });
    await deliver(input('QBACKUP', 1, 'lena', { senderId: 'marcus' }));
    const post = postsIn('C0MERID01')[0];
    expect(post?.username).toBe('Marcus Reyes');
    expect(post?.text).toContain('Marcus');
    expect((await logOf('QBACKUP', 1)).every((e) => e.senderId === 'marcus')).toBe(true);
  });

  it('as the company: posted under the company name, still signed by the person', async () => {
    await seedRound(world.roster, {
      incidentId: 'QCOMPANY',
      severity: 'SEV3',
      services: ['ingestion'],
      round: 1,
    });
    await deliver(input('QCOMPANY', 1, 'kenji', { senderId: 'ines', asCompany: true }));
    const post = postsIn('C0HARBR01').find((m) => JSON.stringify(m.metadata).includes('QCOMPANY'));
    expect(post?.username).toBe(world.roster.company.name);
    expect(post?.iconUrl).toBeUndefined();
    expect(post?.text).toContain(person('ines').name);
    expect((await logOf('QCOMPANY', 1))[0]).toMatchObject({ asCompany: true, senderId: 'ines' });
  });

  it('"I sent it myself" records every recipient as sent by the owner, sending nothing', async () => {
    await seedRound(world.roster, {
      incidentId: 'QOWNER',
      severity: 'SEV1',
      services: ['ingestion'],
      round: 1,
    });
    const before = world.slack.calls('chat.postMessage').length;
    const result = await deliver(input('QOWNER', 1, 'mei', { mode: 'record_only' }));
    expect(result.failed).toBe(0);
    expect(world.slack.calls('chat.postMessage')).toHaveLength(before);
    const log = await logOf('QOWNER', 1);
    expect(log.length).toBe(result.sent);
    expect(log.every((e) => e.status === 'sent_by_owner')).toBe(true);
  });
});

describe('an update the resolution overtook', () => {
  const resolved = async (incidentId: string, round = 1) => {
    await seedRound(world.roster, { incidentId, severity: 'SEV1', services: ['ingestion'], round });
    const { updateIncident } = await import('../../../lambdas/adapters/incidents.ts');
    await updateIncident(incidentId, { status: 'resolved', resolvedAt: new Date().toISOString() });
  };
  const reached = (incidentId: string) =>
    world.slack.calls('chat.postMessage').filter((c) => JSON.stringify(c).includes(incidentId));

  it.each([
    ['the owner', 'QSTALEOWN', { senderId: 'ada' }],
    ['a backup', 'QSTALEBAK', { senderId: 'mei' }],
    ['the company', 'QSTALECO', { senderId: 'ines', asCompany: true }],
  ] as const)('reaches no customer, whoever sends it (%s)', async (_who, incidentId, extra) => {
    await resolved(incidentId);
    const emailsBefore = (await sentEmails(world.sesUrl)).length;
    const result = await deliver(input(incidentId, 1, 'ada', extra));
    expect(result).toEqual({ sent: 0, alreadySent: 0, failed: 0, outOfDate: true });
    expect(reached(incidentId)).toEqual([]);
    expect(await sentEmails(world.sesUrl)).toHaveLength(emailsBefore);
    expect(await logOf(incidentId, 1)).toEqual([]);
  });

  it('"I sent it myself" is still recorded: it is true whenever it is said', async () => {
    await resolved('QSTALEHND');
    const result = await deliver(input('QSTALEHND', 1, 'ada', { mode: 'record_only' }));
    expect(result.outOfDate).toBe(false);
    const log = await logOf('QSTALEHND', 1);
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => e.status === 'sent_by_owner')).toBe(true);
  });

  it('the resolution itself still goes out', async () => {
    await seedRound(world.roster, {
      incidentId: 'QSTALERES',
      severity: 'SEV1',
      services: ['ingestion'],
      round: 1,
    });
    const { updateIncident } = await import('../../../lambdas/adapters/incidents.ts');
    await updateIncident('QSTALERES', { status: 'resolved', resolvedAt: new Date().toISOString() });
    const { saveRound, getOwnerDrafts, getRound } = await import('../../../lambdas/adapters/rounds.ts');
    const first = (await getRound('QSTALERES', 1))!;
    const drafts = new Map([['ada', await getOwnerDrafts('QSTALERES', 1, 'ada')]]);
    await saveRound(
      { ...first, round: 2, phase: 'resolution', roundKey: 'QSTALERES-round-2', owners: ['ada'] },
      drafts,
    );
    const result = await deliver(input('QSTALERES', 2, 'ada'));
    expect(result.outOfDate).toBe(false);
    expect(result.sent).toBeGreaterThan(0);
  });
});

describe('the notification log through the read API', () => {
  const get = async (routeKey: string, id: string, query: Record<string, string> = {}) => {
    const { handler } = await import('../../../lambdas/handlers/http/read-api/handler.ts');
    return handler({
      routeKey,
      rawPath: routeKey,
      pathParameters: { id },
      queryStringParameters: query,
      headers: {},
      requestContext: { http: { method: 'GET', path: routeKey } },
    } as never);
  };

  it('by incident: per account and per recipient, filtered by round and status, as JSON or CSV', async () => {
    const response = await get('GET /api/incidents/{id}/notifications', 'QSEV1A', { round: '1' });
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body ?? '{}') as {
      summary: { notified: number; pending: number; failed: number; total: number };
      accounts: { accountId: string; state: string; via: string[] }[];
      notifications: { round: number; status: string; sender_name: string }[];
    };
    // Every account of the round counts: Ada has sent to hers, the other owners not yet.
    const owner = (id: string) => world.roster.accounts.find((a) => a.id === id)?.ownerId;
    const told = body.accounts.filter((a) => a.state === 'notified');
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((a) => owner(a.accountId) === 'ada')).toBe(true);
    expect(
      body.accounts.filter((a) => owner(a.accountId) !== 'ada').every((a) => a.state === 'pending'),
    ).toBe(true);
    expect(body.summary).toEqual({
      notified: told.length,
      pending: body.summary.total - told.length,
      failed: 0,
      total: body.accounts.length,
    });
    expect(body.summary.pending).toBeGreaterThan(0);
    expect(body.accounts.find((a) => a.accountId === 'acme-rockets')?.via.sort()).toEqual([
      'email',
      'slack',
      'sms',
    ]);
    expect(body.notifications.every((n) => n.round === 1 && n.sender_name === 'Ada Okafor')).toBe(true);

    const csv = await get('GET /api/incidents/{id}/notifications', 'QSEV1A', {
      format: 'csv',
      status: 'sent',
    });
    expect(csv.headers?.['content-disposition']).toBe('attachment; filename="notifications-QSEV1A.csv"');
    expect((csv.body ?? '').split('\r\n').filter(Boolean).length).toBeGreaterThan(body.notifications.length);
    const bad = await get('GET /api/incidents/{id}/notifications', 'QSEV1A', { status: 'lost' });
    expect(bad.statusCode).toBe(400);
    expect((await get('GET /api/incidents/{id}/notifications', 'QNOPE')).statusCode).toBe(404);
  });

  it('by account: across incidents and rounds, newest first', async () => {
    const acme = await get('GET /api/accounts/{id}/notifications', 'acme-rockets');
    const rounds = (
      JSON.parse(acme.body ?? '{}') as { notifications: { round: number }[] }
    ).notifications.map((n) => n.round);
    expect(new Set(rounds)).toEqual(new Set([1, 2]));

    // Harbor Labs (Kenji's) heard about QCOMPANY; now Kenji records QOWNER as sent himself.
    await deliver(input('QOWNER', 1, 'kenji', { mode: 'record_only' }));
    const response = await get('GET /api/accounts/{id}/notifications', 'harbor-labs');
    const body = JSON.parse(response.body ?? '{}') as {
      notifications: { incident_id: string; status: string; claimed_at: string }[];
    };
    // SEV1: Slack and email recorded for QOWNER; SEV3: Slack only for QCOMPANY.
    expect(body.notifications.map((n) => `${n.incident_id} ${n.status}`)).toEqual([
      'QOWNER sent_by_owner',
      'QOWNER sent_by_owner',
      'QCOMPANY sent',
    ]);
    const times = body.notifications.map((n) => n.claimed_at);
    expect([...times].sort().reverse()).toEqual(times);
  });
});
