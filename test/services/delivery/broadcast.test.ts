import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcastRecord } from '../../../lambdas/domain/records/broadcast.ts';
import type { BroadcastLogEntry } from '../../../lambdas/domain/records/notification.ts';
import type { HttpResult } from '../../../lambdas/adapters/http.ts';
import type { Subcommand } from '../../../lambdas/handlers/http/slack-commands/context.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../../local/lambdas.ts';
import { executionArn } from '../../../local/stepfunctions/index.ts';
import { rosterWithAccounts } from '../../support/rosters.ts';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * The company broadcast end to end on the local engine: `/comms broadcast send` → its own execution (plan,
 * a Distributed Map of batches run inline locally, the summary) → one post per customer channel as the
 * company, progress in the engagement channel, the CMOC's summary, the log.
 */
let world: World;
let broadcast: Subcommand;
let broadcastLogOf: (id: string) => Promise<BroadcastLogEntry[]>;
let findBroadcast: (id: string) => Promise<BroadcastRecord | undefined>;
let readApi: (event: unknown) => Promise<HttpResult>;

beforeAll(async () => {
  world = await startWorld({
    roster: rosterWithAccounts(60, { ownerId: 'sofia', prefix: 'B' }),
  });
  broadcast = (await import('../../../lambdas/handlers/http/slack-commands/broadcast.ts')).broadcast;
  ({ broadcastLogOf } = await import('../../../lambdas/adapters/notification-log.ts'));
  ({ findBroadcast } = await import('../../../lambdas/adapters/broadcasts.ts'));
  readApi = (await import('../../../lambdas/handlers/http/read-api/handler.ts')).handler as (
    event: unknown,
  ) => Promise<HttpResult>;
});
afterAll(() => world?.close());
afterEach(() => world.slack.stopFailing());

const as = (personId: string) => {
  const person = world.roster.people.find((p) => p.id === personId)!;
  return { roster: world.roster, now: new Date(), slackUserId: person.slackUserId, person };
};
const slackChannels = () => world.roster.accounts.filter((a) => a.slackChannelId);
const idIn = (reply: string) => /`(b-[0-9a-f]{16})`/.exec(reply)?.[1];
const broadcastPosts = (id: string) =>
  world.slack.messages().filter((m) => JSON.stringify(m.metadata ?? {}).includes(id));

/**
 * Waits for the broadcast's whole execution, not just its record saying finished: the summary step goes on
 * posting (the CMOC's DM) after that, and a late post would land in the next test's Slack faults.
 */
async function finished(id: string): Promise<BroadcastRecord> {
  const arn = executionArn('broadcast', `broadcast-${id}`, LOCAL_REGION, LOCAL_ACCOUNT);
  await world.engine.waitForStatus(arn, 'SUCCEEDED', WAIT_BOUND_MS);
  const record = await findBroadcast(id);
  expect(record?.status, `broadcast ${id} after its execution succeeded`).toBe('finished');
  return record!;
}

/** The log rows of channels not sent, to say why when a broadcast did not reach everyone. */
async function notSent(id: string): Promise<string> {
  const rows = (await broadcastLogOf(id)).filter((e) => e.status !== 'sent');
  return JSON.stringify(rows.map((e) => ({ account: e.accountId, status: e.status, error: e.error })));
}

function get(path: string, routeKey: string, id: string, query: Record<string, string> = {}) {
  return readApi({
    routeKey,
    rawPath: path,
    pathParameters: { id },
    queryStringParameters: query,
    headers: {},
    requestContext: { http: { method: 'GET', path } },
  });
}

describe('/comms broadcast', () => {
  it('previews the audience and the tone without sending anything', async () => {
    const before = world.slack.calls('chat.postMessage').length;
    const reply = await broadcast(as('ines'), 'preview security -- We apologize for the inconvenience.');
    expect(reply).toContain(`to ${slackChannels().length} customer channel(s)`);
    expect(reply).toMatch(/Not reachable in Slack \(no channel\): 2 account/);
    expect(reply).toMatch(/Tone: /);
    expect(world.slack.calls('chat.postMessage')).toHaveLength(before);
  });

  it('refuses someone who is not a CMOC, and a reason-less request', async () => {
    await expect(broadcast(as('lena'), 'send security -- hello')).rejects.toThrow(/CMOC's call/);
    await expect(broadcast(as('ines'), 'send -- hello')).rejects.toThrow(/Say why/);
  });

  it('sends once to every customer channel as the company, with progress and a summary', async () => {
    const text = 'We’re investigating a security issue affecting logins. I’ll update within the hour.';
    const reply = await broadcast(as('ines'), `send security -- ${text}`);
    const id = idIn(reply);
    expect(id, reply).toBeDefined();
    const record = await finished(id!);
    expect(record).toMatchObject({ total: slackChannels().length, batches: 2, outcome: { failed: 0 } });

    for (const account of slackChannels()) {
      const posts = broadcastPosts(id!).filter((m) => m.channel === account.slackChannelId);
      expect(posts, account.id).toHaveLength(1);
      expect(posts[0]).toMatchObject({ username: world.roster.company.name, text });
    }
    const progress = world.slack
      .messages({ channel: world.roster.company.engagementChannelId! })
      .find((m) => m.text?.includes('Company broadcast'));
    expect(progress?.text).toContain(
      `${slackChannels().length} of ${slackChannels().length} channels sent · done`,
    );
    const ines = world.roster.people.find((p) => p.id === 'ines')!;
    const summary = await waitFor('the CMOC summary', () =>
      world.slack.messages({ user: ines.slackUserId }).find((m) => m.text?.includes(id!)),
    );
    expect(summary.text).toMatch(/No Slack channel, so not reached: .*Nimbus/);

    const log = await broadcastLogOf(id!);
    expect(log).toHaveLength(slackChannels().length);
    expect(log.every((e) => e.status === 'sent' && e.asCompany && e.senderId === 'ines')).toBe(true);
  });

  it('the same command again sends nothing new', async () => {
    const text = 'Planned maintenance on the EU query cluster tonight 22:00–23:00 UTC. No downtime expected.';
    const first = idIn(await broadcast(as('ines'), `send maintenance region=eu -- ${text}`))!;
    await finished(first);
    const posts = broadcastPosts(first).length;
    const again = await broadcast(as('ines'), `send maintenance region=eu -- ${text}`);
    expect(again).toMatch(/already/);
    expect(idIn(again)).toBe(first);
    expect(broadcastPosts(first)).toHaveLength(posts);
  });

  it('reaches every channel exactly once while Slack answers 429 and 5xx', async () => {
    world.slack.failRandomly('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 0.1, 3);
    world.slack.failRandomly('chat.postMessage', { status: 500, afterPosting: true }, 0.05, 5);
    const id = idIn(
      await broadcast(as('ines'), 'send security tier=standard -- Logins are failing; we are on it.'),
    )!;
    const record = await finished(id);
    const audience = slackChannels().filter((a) => a.tier === 'standard');
    expect(record.total).toBe(audience.length);
    // The outcome first: when a channel has no post, its log row says why (failed, pending, never claimed).
    expect(record.outcome, `not sent: ${await notSent(id)}`).toEqual({
      sent: audience.length,
      failed: 0,
      pending: 0,
    });
    const log = await broadcastLogOf(id);
    for (const account of audience)
      expect(
        broadcastPosts(id).filter((m) => m.channel === account.slackChannelId),
        `${account.id}: ${JSON.stringify(log.find((e) => e.accountId === account.id) ?? 'no log row')}`,
      ).toHaveLength(1);
  });

  it('goes out to every channel when Slack keeps refusing the progress message', async () => {
    const engagement = world.roster.company.engagementChannelId!;
    world.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 5, engagement);
    const text = 'Logins are slow for some customers; we are on it.';
    const id = idIn(await broadcast(as('ines'), `send security tier=high-touch -- ${text}`))!;
    const record = await finished(id);
    const audience = slackChannels().filter((a) => a.tier === 'high-touch');
    expect(record.outcome, `not sent: ${await notSent(id)}`).toEqual({
      sent: audience.length,
      failed: 0,
      pending: 0,
    });
    for (const account of audience)
      expect(
        broadcastPosts(id).filter((m) => m.channel === account.slackChannelId),
        account.id,
      ).toHaveLength(1);
  });

  it('shows a broadcast and exports its log through the read API', async () => {
    const id = idIn(
      await broadcast(as('ines'), 'send security owners=offline -- Heads up: logins are slow.'),
    )!;
    await finished(id);
    const view = await get(`/api/broadcasts/${id}`, 'GET /api/broadcasts/{id}', id);
    expect(view.statusCode).toBe(200);
    const body = JSON.parse(view.body ?? '{}') as {
      progress: { total: number; sent: number };
      summary: { notified: number };
      notifications: { kind: string; channel: string }[];
    };
    expect(body.progress.sent).toBe(body.progress.total);
    expect(body.summary.notified).toBe(body.progress.total);
    expect(body.notifications.every((n) => n.kind === 'broadcast' && n.channel === 'slack')).toBe(true);
    const csv = await get(`/api/broadcasts/${id}`, 'GET /api/broadcasts/{id}', id, { format: 'csv' });
    expect(csv.headers?.['content-type']).toMatch(/text\/csv/);
    const lines = (csv.body ?? '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^kind,incident_id,round,broadcast_id,account_id/);
    expect(lines).toHaveLength(body.progress.total + 1);
  });
});
