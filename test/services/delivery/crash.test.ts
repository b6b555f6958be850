import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterInput } from '../../../lambdas/domain/roster.ts';
import type { LogEntry } from '../../../lambdas/domain/records/notification.ts';
import type * as NotificationLog from '../../../lambdas/adapters/notification-log.ts';
import type { DeliverUpdateInput, DeliverUpdateOutput } from '../../../lambdas/contract/payloads.ts';
import { sentEmails } from '../../../local/ses.ts';
import { seedRound } from '../../support/seed.ts';
import { exampleRoster } from '../../support/rosters.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A delivery step killed (SIGKILL, in its own process) right after a provider accepted a message and
 * before the log recorded it. The retried step must not send that message again: it finds it (Slack
 * metadata, Twilio's message list) and records it; an email it cannot look up is recorded unconfirmed.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
let world: World;
let deliver: (input: DeliverUpdateInput) => Promise<DeliverUpdateOutput>;
let logOf: (incidentId: string, round?: number) => Promise<LogEntry[]>;
let log: typeof NotificationLog;

/**
 * Eight high-touch accounts on "exports", owned by Tom, each with a Slack channel, an email and an SMS
 * number: the severity picks the channels (SEV3 Slack, SEV4 email, SEV1 all three).
 */
function roster(): RosterInput {
  const base = exampleRoster();
  const accounts = Array.from({ length: 8 }, (_, i) => ({
    id: `crash-${i}`,
    name: `Crash Test ${i}`,
    ownerId: 'tom',
    tier: 'high-touch' as const,
    services: ['exports'],
    slackChannelId: `C0CRASH0${i}`,
    emails: [`crash-${i}@customer.example`],
    smsNumbers: [`+1555800000${i}`],
  }));
  return { ...base, accounts: [...base.accounts, ...accounts] };
}

beforeAll(async () => {
  world = await startWorld({ roster: roster() });
  deliver = (await import('../../../lambdas/handlers/steps/deliver-update/handler.ts')).handler;
  log = await import('../../../lambdas/adapters/notification-log.ts');
  logOf = log.logOf;
});
afterAll(() => world?.close());

const step = (incidentId: string): DeliverUpdateInput => ({
  incidentId,
  round: 1,
  ownerId: 'tom',
  senderId: 'tom',
  mode: 'send',
  asCompany: false,
});

/** Starts the step in a child process; `exited` resolves with its exit code (null when it was killed). */
function runChild(input: DeliverUpdateInput): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'crash-child.ts'), JSON.stringify(input)],
    {
      // A short lease, so the retried step may take over the dead attempt's claims within the test.
      env: { ...process.env, DELIVERY_LEASE_SECONDS: '2', POWERTOOLS_LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

const tagged = (incidentId: string) => (m: { metadata?: unknown }) =>
  JSON.stringify(m.metadata ?? {}).includes(incidentId);

describe('a delivery step killed between sending and recording', () => {
  it('Slack: the retried step finds the post by its metadata and records it, posting nothing twice', async () => {
    await seedRound(world.roster, {
      incidentId: 'QCRASH1',
      severity: 'SEV3',
      services: ['exports'],
      round: 1,
    });
    const { child, exited } = runChild(step('QCRASH1'));
    let killedAt: string | undefined;
    world.slack.on('message', (m) => {
      if (!killedAt && tagged('QCRASH1')(m)) {
        killedAt = m.channel;
        child.kill('SIGKILL');
      }
    });
    expect(await exited).toBeNull();
    expect(killedAt).toBeDefined();
    const orphan = (await logOf('QCRASH1', 1)).find((e) => e.recipient === killedAt);
    expect(orphan).toMatchObject({ status: 'claimed' });

    const result = await deliver(step('QCRASH1'));
    expect(result.failed).toBe(0);
    for (let i = 0; i < 8; i++) {
      const posts = world.slack.messages({ channel: `C0CRASH0${i}` }).filter(tagged('QCRASH1'));
      expect(posts, `C0CRASH0${i}`).toHaveLength(1);
    }
    const log = await logOf('QCRASH1', 1);
    expect(log.every((e) => e.status === 'sent')).toBe(true);
    const recovered = log.find((e) => e.recipient === killedAt)!;
    expect(recovered.providerId).toBe(
      world.slack.messages({ channel: recovered.recipient }).filter(tagged('QCRASH1'))[0]!.ts,
    );
  });

  it('SMS: the retried step finds the message in Twilio and records its SID', async () => {
    await seedRound(world.roster, {
      incidentId: 'QCRASH2',
      severity: 'SEV1',
      services: ['exports'],
      round: 1,
    });
    const { child, exited } = runChild(step('QCRASH2'));
    let killedFor: string | undefined;
    world.twilio.on('message', (m) => {
      if (!killedFor && m.to.startsWith('+1555800000')) {
        killedFor = m.to;
        child.kill('SIGKILL');
      }
    });
    expect(await exited).toBeNull();
    expect(killedFor).toBeDefined();
    const before = world.twilio.messages({ to: killedFor! });
    expect(before).toHaveLength(1);

    await deliver(step('QCRASH2'));
    expect(world.twilio.messages({ to: killedFor! })).toHaveLength(1);
    const entry = (await logOf('QCRASH2', 1)).find((e) => e.recipient === killedFor);
    expect(entry).toMatchObject({ status: 'sent', providerId: before[0]!.sid });
    for (let i = 0; i < 8; i++) {
      expect(world.twilio.messages({ to: `+1555800000${i}` }).length, `SMS ${i}`).toBeLessThanOrEqual(1);
      expect(
        world.slack.messages({ channel: `C0CRASH0${i}` }).filter(tagged('QCRASH2')),
        `Slack ${i}`,
      ).toHaveLength(1);
    }
  });

  it('email: recorded unconfirmed for the CMOC, never sent twice; what was recorded sent arrived once', async () => {
    await seedRound(world.roster, {
      incidentId: 'QCRASH3',
      severity: 'SEV4',
      services: ['exports'],
      round: 1,
    });
    const count = async (address: string) =>
      (await sentEmails(world.sesUrl)).filter((m) => m.destination.to.includes(address)).length;
    const before = new Map<string, number>();
    for (let i = 0; i < 8; i++)
      before.set(`crash-${i}@customer.example`, await count(`crash-${i}@customer.example`));
    const { child, exited } = runChild(step('QCRASH3'));
    let killedFor: string | undefined;
    world.ses.on('sent', (mail) => {
      if (!killedFor && mail.to.startsWith('crash-')) {
        killedFor = mail.to;
        child.kill('SIGKILL');
      }
    });
    expect(await exited).toBeNull();
    expect(killedFor).toBeDefined();

    await deliver(step('QCRASH3'));
    const log = await logOf('QCRASH3', 1);
    expect(log).toHaveLength(8);
    for (const entry of log) {
      const delivered = (await count(entry.recipient)) - (before.get(entry.recipient) ?? 0);
      expect(delivered, entry.recipient).toBeLessThanOrEqual(1);
      if (entry.status === 'sent') expect(delivered, entry.recipient).toBe(1);
      else expect(entry.error, entry.recipient).toMatch(/^unconfirmed/);
    }
    expect(log.find((e) => e.recipient === killedFor)).toMatchObject({ status: 'failed' });
  });
});

describe('an email attempt that crashed around the SES call', () => {
  it('is sent when it crashed before calling SES (no mark), and left unconfirmed when it crashed during the call', async () => {
    await seedRound(world.roster, {
      incidentId: 'QCRASH4',
      severity: 'SEV4',
      services: ['exports'],
      round: 1,
    });
    const entry = (i: number) => ({
      incidentId: 'QCRASH4',
      round: 1,
      accountId: `crash-${i}`,
      channel: 'email' as const,
      recipient: `crash-${i}@customer.example`,
      senderId: 'tom',
      asCompany: false,
    });
    // Two attempts that died holding their items, their leases long run out: the first before it called
    // SES, the second after marking the call.
    const longAgo = new Date(Date.now() - 60_000).toISOString();
    const before = await log.claim(entry(0), longAgo, { leaseMs: 1 });
    const during = await log.claim(entry(1), longAgo, { leaseMs: 1 });
    if (!before.claimed || !during.claimed) throw new Error('the items were not new');
    await log.markSending(entry(1), during.claimId, longAgo);
    // The other tests of this file mail the same addresses: count what this delivery adds.
    const count = async (address: string) =>
      (await sentEmails(world.sesUrl)).filter((m) => m.destination.to.includes(address)).length;
    const baseline = new Map<string, number>();
    for (let i = 0; i < 8; i++) baseline.set(entry(i).recipient, await count(entry(i).recipient));
    const mailsTo = async (address: string) => (await count(address)) - (baseline.get(address) ?? 0);

    await deliver(step('QCRASH4'));
    const byRecipient = new Map((await logOf('QCRASH4', 1)).map((e) => [e.recipient, e]));
    expect(byRecipient.get(entry(0).recipient)).toMatchObject({ status: 'sent' });
    expect(await mailsTo(entry(0).recipient)).toBe(1);
    expect(byRecipient.get(entry(1).recipient)?.error).toMatch(/^unconfirmed/);
    expect(await mailsTo(entry(1).recipient)).toBe(0);
    for (let i = 2; i < 8; i++) expect(await mailsTo(entry(i).recipient), entry(i).recipient).toBe(1);
  });
});
