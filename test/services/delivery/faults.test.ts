import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../../lambdas/domain/roster.ts';
import type { LogEntry } from '../../../lambdas/domain/records/notification.ts';
import type { DeliverUpdateInput, DeliverUpdateOutput } from '../../../lambdas/contract/payloads.ts';
import { sentEmails } from '../../../local/ses.ts';
import { rosterWithAccounts } from '../../support/rosters.ts';
import { seedRound } from '../../support/seed.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * Provider faults against the stand-ins: Slack answering 429 (with Retry-After) and 5xx, SES throttling,
 * Twilio failing — every recipient still gets the update exactly once, and what failed for good is in the
 * log with its reason (what the CMOC's round summary and /comms status read).
 */
let world: World;
let deliver: (
  input: DeliverUpdateInput,
  context?: { getRemainingTimeInMillis(): number },
) => Promise<DeliverUpdateOutput>;
let logOf: (incidentId: string, round?: number) => Promise<LogEntry[]>;
const COUNT = 12;

beforeAll(async () => {
  world = await startWorld({
    roster: rosterWithAccounts(COUNT, {
      ownerId: 'diego',
      service: 'exports',
    }),
  });
  deliver = (await import('../../../lambdas/handlers/steps/deliver-update/handler.ts')).handler;
  logOf = (await import('../../../lambdas/adapters/notification-log.ts')).logOf;
});
afterAll(() => world?.close());
afterEach(() => {
  world.slack.stopFailing();
  world.ses.stopFailing();
});

const send = (incidentId: string, ownerId = 'diego'): DeliverUpdateInput => ({
  incidentId,
  round: 1,
  ownerId,
  senderId: ownerId,
  mode: 'send',
  asCompany: false,
});

/** Every recipient the round routes to, for SEV1 (Slack + each email + SMS for high-touch). */
function recipients(accounts: Account[]): string[] {
  return accounts.flatMap((a) => [
    ...(a.slackChannelId ? [a.slackChannelId] : []),
    ...a.emails,
    ...(a.tier === 'high-touch' ? a.smsNumbers : []),
  ]);
}

async function deliveredCounts(accounts: Account[], incidentId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const mails = await sentEmails(world.sesUrl);
  for (const a of accounts) {
    if (a.slackChannelId) {
      const posts = world.slack
        .messages({ channel: a.slackChannelId })
        .filter((m) => JSON.stringify(m.metadata ?? {}).includes(incidentId));
      counts.set(a.slackChannelId, posts.length);
    }
    for (const address of a.emails)
      counts.set(
        address,
        mails.filter((m) => m.destination.to.includes(address) && m.subject && m.at).length,
      );
    for (const number of a.tier === 'high-touch' ? a.smsNumbers : [])
      counts.set(number, world.twilio.messages({ to: number }).length);
  }
  return counts;
}

describe('transient faults on every provider', () => {
  it('delivers each recipient exactly once while Slack, SES and Twilio keep failing', async () => {
    const { accounts } = await seedRound(world.roster, {
      incidentId: 'QFAULTS',
      severity: 'SEV1',
      services: ['exports'],
      round: 1,
    });
    world.slack.failRandomly('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 0.25, 7);
    world.slack.failRandomly('chat.postMessage', { status: 500, afterPosting: true }, 0.1, 11);
    world.slack.failRandomly('chat.postMessage', { status: 500 }, 0.1, 13);
    world.ses.failRandomly({ kind: 'throttle' }, 0.3, 7);
    world.twilio.failNext({ status: 500 }, 2);
    world.twilio.failNext({ status: 429 }, 1);

    const result = await deliver(send('QFAULTS'));
    const all = recipients(accounts);
    expect(result).toEqual({ sent: all.length, alreadySent: 0, failed: 0, outOfDate: false });
    const counts = await deliveredCounts(accounts, 'QFAULTS');
    expect(
      [...counts.values()].every((n) => n === 1),
      JSON.stringify([...counts]),
    ).toBe(true);
    expect(counts.size).toBe(all.length);
    const statuses = world.slack.calls('chat.postMessage').map((c) => c.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(500);
    expect(world.ses.counts().throttled).toBeGreaterThan(0);
    const log = await logOf('QFAULTS', 1);
    expect(log.every((e) => e.status === 'sent')).toBe(true);
    expect(log.some((e) => (e.attempts ?? 0) > 1)).toBe(true);
  });

  it('honours Retry-After for the limited channel only, without holding back the others', async () => {
    const { accounts } = await seedRound(world.roster, {
      incidentId: 'QRETRY',
      severity: 'SEV3',
      services: ['exports'],
      round: 1,
    });
    const slow = accounts[0]!.slackChannelId!;
    world.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 2 }, 1, slow);
    const started = Date.now();
    await deliver(send('QRETRY'));
    const calls = world.slack.calls('chat.postMessage').filter((c) => c.at.getTime() >= started);
    const limitedAt = calls.find((c) => c.status === 429)!.at.getTime();
    const slowSent = calls.find((c) => c.args.channel === slow && c.status === 200)!.at.getTime();
    expect(slowSent - limitedAt).toBeGreaterThanOrEqual(2000);
    const others = calls.filter((c) => c.args.channel !== slow && c.status === 200);
    expect(others).toHaveLength(accounts.length - 1);
    // Every other channel was posted to while the limited one was still waiting.
    expect(Math.max(...others.map((c) => c.at.getTime()))).toBeLessThan(slowSent);
  });

  it('a Slack 500 after posting is reconciled from the message metadata, not posted again', async () => {
    const { accounts } = await seedRound(world.roster, {
      incidentId: 'QLOST',
      severity: 'SEV3',
      services: ['exports'],
      round: 1,
    });
    const channel = accounts[1]!.slackChannelId!;
    world.slack.failNext('chat.postMessage', { status: 500, afterPosting: true }, 1, channel);
    const result = await deliver(send('QLOST'));
    expect(result.failed).toBe(0);
    const posts = world.slack
      .messages({ channel })
      .filter((m) => JSON.stringify(m.metadata ?? {}).includes('QLOST'));
    expect(posts).toHaveLength(1);
    const entry = (await logOf('QLOST', 1)).find((e) => e.recipient === channel);
    expect(entry).toMatchObject({ status: 'sent', providerId: posts[0]!.ts, attempts: 2 });
    expect(world.slack.calls('conversations.history').length).toBeGreaterThan(0);
  });

  it('an email whose answer is lost is recorded unconfirmed, never sent twice', async () => {
    const { accounts } = await seedRound(world.roster, {
      incidentId: 'QMAIL',
      severity: 'SEV4',
      services: ['exports'],
      round: 1,
    });
    const mailsTo = async (address: string) =>
      (await sentEmails(world.sesUrl)).filter((m) => m.destination.to.includes(address)).length;
    const before = new Map(
      await Promise.all(accounts.map(async (a) => [a.emails[0]!, await mailsTo(a.emails[0]!)] as const)),
    );
    world.ses.failNext({ kind: 'drop-after-send' }, 1);
    const result = await deliver(send('QMAIL'));
    expect(result.failed).toBe(1);
    const failed = (await logOf('QMAIL', 1)).filter((e) => e.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatch(/^unconfirmed: .*SES cannot say/);
    const again = await deliver(send('QMAIL'));
    expect(again).toEqual({ sent: 0, alreadySent: accounts.length - 1, failed: 1, outOfDate: false });
    for (const [address, count] of before) expect(await mailsTo(address), address).toBe(count + 1);
  });
});

describe('permanent failures', () => {
  it('records the reason, keeps sending to the others, and never retries them', async () => {
    const { accounts } = await seedRound(world.roster, {
      incidentId: 'QGONE',
      severity: 'SEV3',
      services: ['exports'],
      round: 1,
    });
    const archived = accounts[2]!.slackChannelId!;
    world.slack.failNext('chat.postMessage', { error: 'is_archived' }, 1, archived);
    const result = await deliver(send('QGONE'));
    expect(result).toEqual({ sent: accounts.length - 1, alreadySent: 0, failed: 1, outOfDate: false });
    const entry = (await logOf('QGONE', 1)).find((e) => e.recipient === archived);
    expect(entry).toMatchObject({ status: 'failed', error: 'slack: is_archived', attempts: 1 });
    const calls = () =>
      world.slack.calls('chat.postMessage').filter((c) => c.args.channel === archived).length;
    const before = calls();
    await deliver(send('QGONE'));
    expect(calls()).toBe(before);
  });
});

describe('a step that runs out of time', () => {
  it('fails with DeliveryIncomplete and the retry sends exactly what was left', async () => {
    const { accounts } = await seedRound(world.roster, {
      incidentId: 'QLATE',
      severity: 'SEV3',
      services: ['exports'],
      round: 1,
    });
    const late = accounts[3]!.slackChannelId!;
    world.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 30 }, 1, late);
    // 21 s left: the step stops starting attempts after 5 s.
    const shortOfTime = { getRemainingTimeInMillis: () => 21_000 };
    await expect(deliver(send('QLATE'), shortOfTime)).rejects.toMatchObject({ name: 'DeliveryIncomplete' });
    const waiting = (await logOf('QLATE', 1)).find((e) => e.recipient === late);
    expect(waiting).toMatchObject({ status: 'retrying', error: 'slack: ratelimited' });

    const retried = await deliver(send('QLATE'));
    expect(retried).toEqual({ sent: 1, alreadySent: accounts.length - 1, failed: 0, outOfDate: false });
    expect(
      world.slack.messages({ channel: late }).filter((m) => JSON.stringify(m.metadata).includes('QLATE')),
    ).toHaveLength(1);
  });
});
