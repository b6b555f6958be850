import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../local/lambdas.ts';
import { startLambdaWorkers, WORKER_FUNCTIONS } from '../../local/lambda-workers.ts';
import { postSlackCommand, WAIT_BOUND_MS } from '../../local/driver.ts';
import { OptionsError, optionsFromEnv } from '../../local/options.ts';
import { executionArn } from '../../local/stepfunctions/index.ts';
import { rosterWithAccounts } from '../support/rosters.ts';
import { startWorld, type World } from '../support/world.ts';

/**
 * The runtime's worker threads (local/lambda-workers.ts): a broadcast's batches run there, with the same
 * handler, environment and stand-ins as on the main thread; what a handler throws there reaches the
 * task as it would from the main thread.
 */
let world: World;

beforeAll(async () => {
  // 120 channels: three batches of the plan's 50, more than one at a time on a thread.
  world = await startWorld({ roster: rosterWithAccounts(120, { prefix: 'W' }), warmLambdas: true });
});
afterAll(() => world?.close());

describe('the Lambda worker threads', () => {
  it('are started and warm before the runtime answers, when it warms its Lambdas', () => {
    const { workers } = world.runtime;
    expect(workers.size).toBeGreaterThan(0);
    expect(workers.stats().threads).toBe(workers.size);
  });

  it("have warmed each thread's clients and the main thread's with reads alone", () => {
    // Two Slack clients (adapters/slack.ts) on every thread, the main one included; nothing posted.
    const { workers } = world.runtime;
    const calls = world.slack.calls();
    expect(calls.filter((c) => c.method === 'auth.test')).toHaveLength(2 * (workers.size + 1));
    expect(calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(world.slack.messages()).toEqual([]);
  });

  it("run a broadcast's batches, every channel posted once", async () => {
    const cmoc = world.roster.people.find((p) => p.id === world.roster.regions.emea.cmoc[0])!;
    const before = world.runtime.workers.stats().invocations;
    const reply = await postSlackCommand(
      world.runtime,
      cmoc.slackUserId,
      'broadcast send security -- We are investigating failed logins. Next update within the hour.',
    );
    const id = /`(b-[0-9a-f]{16})`/.exec(reply.body)?.[1];
    expect(id, reply.body).toBeDefined();
    const done = await world.engine.waitForStatus(
      executionArn('broadcast', `broadcast-${id}`),
      ['SUCCEEDED', 'FAILED'],
      WAIT_BOUND_MS,
    );
    expect(done.status).toBe('SUCCEEDED');
    expect(world.runtime.workers.stats().invocations - before).toBeGreaterThanOrEqual(3);
    const posts = new Map<string, number>();
    for (const m of world.slack.messages())
      if (JSON.stringify(m.metadata ?? {}).includes(id!))
        posts.set(m.channel, (posts.get(m.channel) ?? 0) + 1);
    const channels = world.roster.accounts.flatMap((a) =>
      a.slackChannelId?.startsWith('CW') ? [a.slackChannelId] : [],
    );
    expect(channels).toHaveLength(120);
    expect(channels.filter((c) => posts.get(c) !== 1)).toEqual([]);
  });

  it("hand back a handler's error with its name, message and stack", async () => {
    const run = world.runtime.workers.handlerFor('send-broadcast-batch');
    expect(run).toBeDefined();
    const failed = await run!(
      { broadcastId: 'b-0000000000000000', batch: 0 },
      lambdaContext('send-broadcast-batch', 330),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/b-0000000000000000/);
    expect((failed as Error).stack).toMatch(/send-broadcast-batch/);
  });

  it('run nothing when sized 0, and only the Map items otherwise', async () => {
    const none = startLambdaWorkers({ size: 0 });
    expect(WORKER_FUNCTIONS.map((name) => none.handlerFor(name))).toEqual(
      WORKER_FUNCTIONS.map(() => undefined),
    );
    await none.close();
    expect(world.runtime.workers.handlerFor('plan-broadcast')).toBeUndefined();
  });

  it('are sized by LAMBDA_WORKERS when it is set', () => {
    expect(optionsFromEnv({ LAMBDA_WORKERS: '0' }).lambdaWorkers).toBe(0);
    expect(optionsFromEnv({ LAMBDA_WORKERS: '3' }).lambdaWorkers).toBe(3);
    expect(optionsFromEnv({})).not.toHaveProperty('lambdaWorkers');
    expect(() => optionsFromEnv({ LAMBDA_WORKERS: '1.5' })).toThrow(OptionsError);
    expect(() => optionsFromEnv({ LAMBDA_WORKERS: '-1' })).toThrow(/LAMBDA_WORKERS must be/);
  });
});
