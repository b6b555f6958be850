import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as Runs from '../../../lambdas/adapters/broadcast-runs.ts';
import type * as Broadcasts from '../../../lambdas/adapters/broadcasts.ts';
import type { BroadcastLogEntry } from '../../../lambdas/domain/records/notification.ts';
import type * as Dynamo from '../../../lambdas/adapters/dynamodb.ts';
import type { handler as BatchHandler } from '../../../lambdas/handlers/steps/send-broadcast-batch/handler.ts';
import type { BroadcastBatchInput } from '../../../lambdas/contract/payloads.ts';
import type { StoredMessage } from '../../../local/slack/index.ts';
import { rosterWithAccounts } from '../../support/rosters.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * One broadcast batch run after another, called directly (no workflow): a run killed between Slack taking
 * a post and the outcomes being written, a run that finds the batch held by another, and a run that runs
 * out of time with a channel still rate-limited. Whatever happens, each channel gets exactly one post and
 * the log and the batch's counts end up telling the truth.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const ACCOUNTS = 12;
let world: World;
let handler: typeof BatchHandler;
let broadcasts: typeof Broadcasts;
let runs: typeof Runs;
let dynamodb: typeof Dynamo.dynamodb;
let broadcastLogOf: (id: string) => Promise<BroadcastLogEntry[]>;

beforeAll(async () => {
  world = await startWorld({ roster: rosterWithAccounts(ACCOUNTS, { ownerId: 'sofia', prefix: 'R' }) });
  handler = (await import('../../../lambdas/handlers/steps/send-broadcast-batch/handler.ts')).handler;
  broadcasts = await import('../../../lambdas/adapters/broadcasts.ts');
  runs = await import('../../../lambdas/adapters/broadcast-runs.ts');
  ({ dynamodb } = await import('../../../lambdas/adapters/dynamodb.ts'));
  ({ broadcastLogOf } = await import('../../../lambdas/adapters/notification-log.ts'));
});
afterAll(() => world?.close());
afterEach(() => world.slack.stopFailing());

const targets = () =>
  world.roster.accounts
    .filter((a) => a.id.startsWith('r-acct-'))
    .map((a) => ({ accountId: a.id, channelId: a.slackChannelId! }));

/** A broadcast planned as one batch of this test's channels, as the plan step would leave it. */
async function newBroadcast(text: string): Promise<string> {
  const broadcastId = `b-${randomBytes(8).toString('hex')}`;
  const createdAt = new Date().toISOString();
  const created = await broadcasts.createBroadcast({
    broadcastId,
    text,
    filter: {},
    requestedBy: 'ines',
    reason: 'security',
    createdAt,
    status: 'requested',
  });
  expect(created, `broadcast ${broadcastId} created`).toBe(true);
  await broadcasts.savePlan(broadcastId, [targets()], { plannedAt: createdAt, withoutSlack: [] });
  return broadcastId;
}

const input = (broadcastId: string): BroadcastBatchInput => ({ broadcastId, batch: 0 });
const tagged = (id: string) => (m: { metadata?: unknown }) => JSON.stringify(m.metadata ?? {}).includes(id);
const postsTo = (id: string, channel: string) => world.slack.messages({ channel }).filter(tagged(id));
const broadcastPosts = (id: string) => world.slack.messages().filter(tagged(id));
/** chat.postMessage calls for this broadcast, answered or refused. */
const postCalls = (id: string) =>
  world.slack.calls('chat.postMessage').filter((c) => JSON.stringify(c.args.metadata ?? {}).includes(id));

/** The batch item as DynamoDB holds it: the lease fields are not part of any adapter's read. */
async function batchItem(broadcastId: string): Promise<Record<string, unknown>> {
  const out = await dynamodb.send(
    new GetCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: `BROADCAST#${broadcastId}`, sk: 'BATCH#0000' },
      ConsistentRead: true,
    }),
  );
  expect(out.Item, `batch 0 of ${broadcastId}`).toBeDefined();
  return out.Item!;
}

async function countsOf(broadcastId: string) {
  const batches = await broadcasts.batchesOf(broadcastId);
  expect(batches.map((b) => b.n)).toEqual([0]);
  return batches[0]!.counts;
}

/** Every channel posted exactly once, and its log item says sent with that post's ts. */
async function expectAllSentOnce(broadcastId: string): Promise<BroadcastLogEntry[]> {
  const log = await broadcastLogOf(broadcastId);
  const row = (channel: string) => JSON.stringify(log.find((e) => e.recipient === channel) ?? 'no log row');
  for (const { accountId, channelId } of targets()) {
    const posts = postsTo(broadcastId, channelId);
    expect(posts, `${accountId} (${channelId}) posts; log: ${row(channelId)}`).toHaveLength(1);
    const entry = log.find((e) => e.recipient === channelId);
    expect(entry, `${accountId} log row`).toMatchObject({
      accountId,
      channel: 'slack',
      status: 'sent',
      providerId: posts[0]!.ts,
      senderId: 'ines',
      asCompany: true,
    });
  }
  expect(log).toHaveLength(ACCOUNTS);
  return log;
}

/** Settles `promise` or fails naming what it waited for. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The handler's rejection (fails the test if it resolved). */
async function rejectionOf(run: Promise<unknown>): Promise<Error> {
  const outcome = await run.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome))
    throw new Error(`expected the run to fail, it returned ${JSON.stringify(outcome)}`);
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

/** Starts the batch step in a child process; `exited` resolves with its exit code (null when killed). */
function runChild(payload: BroadcastBatchInput): {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'broadcast-crash-child.ts'), JSON.stringify(payload)],
    {
      // A short lease, so the next run may take the dead run's batch over within the test.
      env: { ...process.env, DELIVERY_LEASE_SECONDS: '2', POWERTOOLS_LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('a broadcast batch run', () => {
  it('killed after Slack took a post and before recording it: the next run takes over the lease and posts nothing twice', async () => {
    const id = await newBroadcast('Logins are failing for some customers; we are on it.');
    let killedOn: string | undefined;
    let killedAt = 0;
    // Listening from the same tick as the spawn: the child needs far longer than that to post.
    const started = runChild(input(id));
    world.slack.on('message', (m: StoredMessage) => {
      if (killedOn || !tagged(id)(m)) return;
      killedOn = m.channel;
      killedAt = Date.now();
      // Here, inside the stand-in's handler: the post is stored and its answer not yet sent.
      started.child.kill('SIGKILL');
    });
    const code = await within(
      started.exited,
      45_000,
      'the batch run in the child process to post and be killed',
    );
    expect(code, `child exited by itself; stderr: ${started.stderr()}`).toBeNull();
    expect(killedOn, 'a channel the child posted to').toBeDefined();

    // Nothing was written down: the writer waits for an answer, which never came.
    expect(await broadcastLogOf(id)).toEqual([]);
    const dead = await batchItem(id);
    expect(dead.runs, 'runs of the batch so far').toBe(1);
    expect(typeof dead.runId, 'the dead run still on the batch').toBe('string');
    expect(typeof dead.leaseUntil, 'the dead run lease').toBe('string');
    const leaseUntil = Date.parse(String(dead.leaseUntil));
    expect(postsTo(id, killedOn!)).toHaveLength(1);

    const result = await within(handler(input(id)), 45_000, 'the run after the crash');
    expect(result).toEqual({ sent: ACCOUNTS, failed: 0 });
    const log = await expectAllSentOnce(id);
    expect(log.find((e) => e.recipient === killedOn)?.providerId).toBe(postsTo(id, killedOn!)[0]!.ts);
    expect(broadcastPosts(id)).toHaveLength(ACCOUNTS);

    // It waited for the dead run's lease, then looked in every channel (the dead run may have posted to
    // any of them) before posting.
    const looks = world.slack
      .calls('conversations.history')
      .filter((c) => c.at.getTime() >= killedAt && targets().some((t) => t.channelId === c.args.channel));
    expect(new Set(looks.map((c) => c.args.channel)).size, 'channels looked up by the second run').toBe(
      ACCOUNTS,
    );
    const firstLook = Math.min(...looks.map((c) => c.at.getTime()));
    expect(firstLook, 'first look-up vs the dead run lease end').toBeGreaterThanOrEqual(leaseUntil);

    expect(await countsOf(id)).toEqual({ sent: ACCOUNTS, failed: 0, pending: 0 });
    const ended = await batchItem(id);
    expect(ended).toMatchObject({ runs: 2, unsure: false });
    expect(ended.runId, 'run id after the run ended').toBeUndefined();
    expect(ended.leaseUntil, 'lease after the run ended').toBeUndefined();
  });

  it('finds the batch held past its deadline: fails the step as DeliveryIncomplete and posts nothing', async () => {
    const id = await newBroadcast('Heads up: exports are delayed.');
    const held = await runs.startBatchRun(id, 0, { now: new Date(), leaseMs: 60_000 });
    if (!held.started) throw new Error(`could not hold batch 0 of ${id}`);
    const holder = await batchItem(id);
    const callsBefore = world.slack.calls().length;

    // 21 s left gives a 5 s deadline, well before the holder's lease ends.
    const error = await rejectionOf(
      within(handler(input(id), { getRemainingTimeInMillis: () => 21_000 }), 30_000, 'the refused run'),
    );
    expect(error.name).toBe('DeliveryIncomplete');
    expect(error.message).toBe(
      `batch 0 is held by another run until ${String(holder.leaseUntil)}; retry the step`,
    );
    expect(postCalls(id)).toEqual([]);
    const touched = world.slack
      .calls()
      .slice(callsBefore)
      .filter((c) => targets().some((t) => t.channelId === c.args.channel));
    expect(touched, 'Slack calls to the batch channels').toEqual([]);
    expect(await broadcastLogOf(id)).toEqual([]);
    // The refused run neither took the batch nor ended the holder's run.
    expect(await batchItem(id)).toMatchObject({
      runs: 1,
      runId: held.run.runId,
      leaseUntil: holder.leaseUntil,
    });
    expect(await countsOf(id)).toBeUndefined();

    // Once the holder ends (having recorded everything), the next run sends everything, without look-ups.
    const pending = { sent: 0, failed: 0, pending: ACCOUNTS };
    expect(await runs.endBatchRun(id, 0, held.run.runId, { counts: pending, unsure: false })).toBe(true);
    const callsBeforeRun = world.slack.calls().length;
    expect(await within(handler(input(id)), 30_000, 'the run after the holder ended')).toEqual({
      sent: ACCOUNTS,
      failed: 0,
    });
    await expectAllSentOnce(id);
    const looks = world.slack
      .calls()
      .slice(callsBeforeRun)
      .filter((c) => c.method === 'conversations.history');
    expect(looks, 'look-ups after a holder that recorded everything').toEqual([]);
    expect(await countsOf(id)).toEqual({ sent: ACCOUNTS, failed: 0, pending: 0 });
    expect(await batchItem(id)).toMatchObject({ runs: 2, unsure: false });
  });

  it('finds the batch held until before its deadline: waits for the lease, looks first, then posts once', async () => {
    const id = await newBroadcast('Heads up: the dashboard is slow.');
    const held = await runs.startBatchRun(id, 0, { now: new Date(), leaseMs: 3_000 });
    if (!held.started) throw new Error(`could not hold batch 0 of ${id}`);
    const leaseUntil = Date.parse(String((await batchItem(id)).leaseUntil));

    expect(await within(handler(input(id)), 30_000, 'the run waiting out the lease')).toEqual({
      sent: ACCOUNTS,
      failed: 0,
    });
    await expectAllSentOnce(id);
    for (const post of broadcastPosts(id))
      expect(post.postedAt.getTime(), `post to ${post.channel} vs the lease end`).toBeGreaterThanOrEqual(
        leaseUntil,
      );
    // The holder never ended, so it may have posted: every channel was looked up first.
    const looked = world.slack
      .calls('conversations.history')
      .filter((c) => c.at.getTime() >= leaseUntil && targets().some((t) => t.channelId === c.args.channel));
    expect(new Set(looked.map((c) => c.args.channel)).size).toBe(ACCOUNTS);
    expect(await countsOf(id)).toEqual({ sent: ACCOUNTS, failed: 0, pending: 0 });
    expect(await batchItem(id)).toMatchObject({ runs: 2, unsure: false });
  });

  it('runs out of time on a rate-limited channel: leaves it retrying, and the next run posts only that one', async () => {
    const id = await newBroadcast('Planned maintenance tonight 22:00–23:00 UTC.');
    const limited = targets()[0]!.channelId;
    world.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 120 }, 3, limited);

    // 40 s left gives a 20 s deadline: the 120 s Retry-After comes after it.
    const error = await rejectionOf(
      within(handler(input(id), { getRemainingTimeInMillis: () => 40_000 }), 45_000, 'the first run'),
    );
    expect(error.name).toBe('DeliveryIncomplete');
    expect(error.message).toMatch(/^1 recipient\(s\) still pending \(sent 11, already sent 0, failed 0\)/);
    expect(postsTo(id, limited)).toEqual([]);
    expect(
      postCalls(id)
        .filter((c) => c.args.channel === limited)
        .map((c) => c.status),
    ).toEqual([429]);

    const first = await broadcastLogOf(id);
    expect(first).toHaveLength(ACCOUNTS);
    const waiting = first.find((e) => e.recipient === limited);
    expect(waiting).toMatchObject({
      status: 'retrying',
      error: 'slack: ratelimited',
      attempts: 1,
      needsCheck: false,
    });
    expect(waiting?.providerId).toBeUndefined();
    for (const entry of first.filter((e) => e.recipient !== limited))
      expect(entry, entry.accountId).toMatchObject({
        status: 'sent',
        providerId: postsTo(id, entry.recipient)[0]?.ts,
      });
    expect(await countsOf(id)).toEqual({ sent: ACCOUNTS - 1, failed: 0, pending: 1 });
    const afterFirst = await batchItem(id);
    expect(afterFirst).toMatchObject({ runs: 1, unsure: false });
    expect(afterFirst.runId).toBeUndefined();

    world.slack.stopFailing();
    const callsBefore = postCalls(id).length;
    expect(await within(handler(input(id)), 30_000, 'the second run')).toEqual({ sent: ACCOUNTS, failed: 0 });
    const again = postCalls(id).slice(callsBefore);
    expect(
      again.map((c) => [c.args.channel, c.status]),
      'posts of the second run',
    ).toEqual([[limited, 200]]);
    const log = await expectAllSentOnce(id);
    expect(log.find((e) => e.recipient === limited)).toMatchObject({ attempts: 2 });
    expect(await countsOf(id)).toEqual({ sent: ACCOUNTS, failed: 0, pending: 0 });
    expect(await batchItem(id)).toMatchObject({ runs: 2, unsure: false });
  });
});
