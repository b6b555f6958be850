import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESERVED_CONCURRENCY, UNRESERVED_MINIMUM } from '../lib/concurrency.ts';
import { PER_REQUEST } from '../lambdas/adapters/batch-write.ts';
import type { BenchRow } from './table.ts';
import type { GrowthRun } from './growth-runs.ts';
import { runScript } from './child-process.ts';
import { AWS_LATENCY_MS } from './webhook-path.ts';
import { wallRatioRow, type Floor } from './path-floor.ts';
import { broadcastTransitions, TRANSITIONS_PER_CHANNEL_BUDGET } from './broadcast-model.ts';

/**
 * How cost grows with the company (docs/architecture.md, "Budgets"): one SEV1 round, every owner
 * answering at once, simulated in full at 500 accounts / 50 owners (two groups, one of them full) and at
 * 100 / 10; 5,000 / 500 and 50,000 / 2,000 are extrapolated from the two. On this 2-core machine a
 * 200-owner round already takes more than ten minutes (the stand-ins, not the product, are the
 * bottleneck), so only what grows is scaled, each where it is measured: the round's own states do not
 * grow; a group holds at most 40 owners, so the full group's history is any size's largest; transitions
 * per owner; deliveries' DynamoDB reads per account; invocations, other reads, Lambdas at once and the
 * payload on the line through the two rounds (both 10 accounts an owner). Histories are modelled as AWS
 * keeps them (bench/history-model.ts): the round's own history holds one map run, each group a child.
 *
 * The broadcast's rows are modelled from its definition (statemachines/broadcast.asl.json: plan, a
 * Distributed Map with one child per batch, finish) and the batch size; the 500-channel broadcast is
 * simulated by bench/broadcast.ts.
 */
const RUNS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'growth-runs.ts');
const ROOT = path.join(path.dirname(RUNS), '..');

/** Step Functions' limits, and the share of each a size may use: a wide margin, not the edge. */
const LIMIT = { events: 25_000, payloadBytes: 256 * 1024 } as const;
const MARGIN = 0.5;
const DOLLARS_PER_TRANSITION = 0.025 / 1000;
const ROUNDS_PER_HOUR = 2;
/** AWS's default account concurrency, and what the front doors reserve out of it (lib/concurrency.ts). */
const ACCOUNT_DEFAULT = 1000;
const RESERVED = Object.values(RESERVED_CONCURRENCY).reduce((sum, n) => sum + n, 0);
const GROUP = 40;
/**
 * The AWS SDK for JavaScript v3's default sockets per client ("Configuring maxSockets in Node.js",
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html: 50),
 * and DynamoDB's most writes per BatchWriteItem (25). The draft step writes one item per owner, 25 to a
 * request and every request at once (adapters/rounds.ts saveRound): past 50 requests (1,250 owners) they
 * go in waves of 50, each wave one DynamoDB round trip more before the first ask.
 */
const SDK_MAX_SOCKETS = 50;
const writeWaves = (owners: number) => Math.ceil(Math.ceil(owners / PER_REQUEST) / SDK_MAX_SOCKETS);
/**
 * Step Lambdas at once, per owner: every owner's iteration runs one step at a time, and a step that has
 * handed on (a DM posted, a task completed) may still be finishing beside the next one: at most two an
 * owner. Measured 1.0 to 1.45, depending on how the asks overlap on the machine.
 */
const PEAK_STEPS_PER_OWNER = 2;
/**
 * Lambda invocations a round makes per owner, as they stand with a margin for the retries a busy machine
 * brings (9.5 to 10.4 at 500 / 50, up to 11.3 on the line to 2,000 owners): the owner's steps, the press's
 * front door and follow-up, and the status callbacks and events their deliveries bring back. A round that
 * grows a call per owner shows as OVER.
 */
const INVOCATIONS_PER_OWNER = 12;

const run = (accounts: number, owners: number): Promise<GrowthRun> =>
  runScript(RUNS, [String(accounts), String(owners)], `the ${accounts}-account round`, 600_000);

/** What a round costs at one size, measured or extrapolated. */
export interface Size {
  label: string;
  accounts: number;
  owners: number;
  how: string;
  roundEvents: number;
  inlineRoundEvents: number;
  largestGroupEvents: number;
  transitionsPerHour: number;
  invocations: number;
  dynamodbReads: number;
  peakSteps: number;
  payloadBytes: number;
  dmSeconds?: { run: number; floor: Floor };
  /** Webhook → every owner's DM, estimated for AWS (bench/webhook-path.ts), and what it was built from. */
  dmEstimate: { seconds: number; how: string };
}

function measured(r: GrowthRun): Size {
  return {
    label: `${r.accounts.toLocaleString('en')} / ${r.owners.toLocaleString('en')}`,
    accounts: r.accounts,
    owners: r.owners,
    how: 'simulated in full',
    roundEvents: r.roundEvents,
    inlineRoundEvents: r.inlineRoundEvents,
    largestGroupEvents: r.largestGroupEvents,
    transitionsPerHour: ROUNDS_PER_HOUR * (r.roundTransitions + r.incidentTransitions),
    invocations: r.invocations,
    dynamodbReads: r.dynamodbReads,
    peakSteps: r.peakSteps,
    payloadBytes: r.largestPayloadBytes,
    dmSeconds: { run: r.webhookToDmsSeconds, floor: r.floor },
    dmEstimate: {
      seconds: r.path.awsEstimateSeconds,
      how: `counted: ${r.path.invocations} Lambdas, ${r.path.transitions} transitions, ${r.path.dynamodb} DynamoDB and ${r.path.slack} Slack round trips one after another`,
    },
  };
}

/**
 * A larger company from two measured rounds: what does not grow (the round's own states, a full group)
 * is the larger round's; transitions per owner and per group as that round measured them; deliveries'
 * reads per account; the rest on the line through the two rounds (both have 10 accounts an owner, so
 * owners alone tell them apart).
 */
export function extrapolated(small: GrowthRun, large: GrowthRun, accounts: number, owners: number): Size {
  const groups = Math.ceil(owners / GROUP);
  const line = (a: number, b: number) =>
    a + ((b - a) / (large.owners - small.owners)) * (owners - small.owners);
  const groupStates = large.groupTransitions.length; // one inner Map state per group
  const perOwner = (large.groupTransitions.reduce((sum, t) => sum + t, 0) - groupStates) / large.owners;
  const roundTransitions = large.roundParentTransitions + groups + owners * perOwner;
  const deliveryReads = (r: GrowthRun) => r.readsByFunction['deliver-update'] ?? 0;
  return {
    label: `${accounts.toLocaleString('en')} / ${owners.toLocaleString('en')}`,
    accounts,
    owners,
    how: `extrapolated from 100 / 10 and 500 / 50: ${groups} groups, ${(accounts / owners).toFixed(0)} accounts an owner`,
    roundEvents: large.roundEvents,
    inlineRoundEvents: Math.round(line(small.inlineRoundEvents, large.inlineRoundEvents)),
    largestGroupEvents: large.largestGroupEvents,
    transitionsPerHour: ROUNDS_PER_HOUR * (roundTransitions + large.incidentTransitions),
    invocations: Math.round(line(small.invocations, large.invocations)),
    dynamodbReads: Math.round(
      line(small.dynamodbReads - deliveryReads(small), large.dynamodbReads - deliveryReads(large)) +
        (deliveryReads(large) / large.accounts) * accounts,
    ),
    peakSteps: Math.round(line(small.peakSteps, large.peakSteps)),
    payloadBytes: Math.round(line(small.largestPayloadBytes, large.largestPayloadBytes)),
    dmEstimate: grownPath(large, owners),
  };
}

/**
 * The larger round's critical path with what grows on it: every owner is asked at once (all groups at
 * once, 40 owners a group), so only the draft step's per-owner writes, in waves of the SDK's sockets.
 */
function grownPath(large: GrowthRun, owners: number): Size['dmEstimate'] {
  const waves = writeWaves(owners) - writeWaves(large.owners);
  return {
    seconds: large.path.awsEstimateSeconds + (waves * AWS_LATENCY_MS.dynamodb) / 1000,
    how: `the ${large.owners}-owner path and ${waves} more DynamoDB round trip${waves === 1 ? '' : 's'}: the draft's ${owners.toLocaleString('en')} owner writes, ${PER_REQUEST} a request, ${SDK_MAX_SOCKETS} requests at a time`,
  };
}

export async function benchGrowth(): Promise<BenchRow[]> {
  const small = await run(100, 10);
  const large = await run(500, 50);
  const sizes = [
    measured(large),
    extrapolated(small, large, 5_000, 500),
    extrapolated(small, large, 50_000, 2_000),
  ];
  const perAccountBudget = sizes[0]!.transitionsPerHour / sizes[0]!.accounts;
  return [...sizes.flatMap((size) => roundRows(size, perAccountBudget)), ...(await broadcastRows())];
}

function roundRows(s: Size, perAccountBudget: number): BenchRow[] {
  const name = (what: string) => `growth ${s.label}: ${what}`;
  const rows: BenchRow[] = [
    {
      name: name('round history (map run)'),
      value: s.roundEvents,
      unit: 'events',
      digits: 0,
      budget: MARGIN * LIMIT.events,
      note: `${s.how}; AWS limit 25,000; one inline history would hold ${s.inlineRoundEvents.toLocaleString('en')}`,
    },
    {
      name: name('largest group (child) history'),
      value: s.largestGroupEvents,
      unit: 'events',
      budget: MARGIN * LIMIT.events,
      note: `≤ ${GROUP} owners a group, owners answer at once (nobody answering: see the workflow rows)`,
    },
    {
      name: name('transitions per SEV1 hour'),
      value: Math.round(s.transitionsPerHour),
      unit: 'transitions',
      // The per-account budget below, for this many accounts.
      budget: Math.round(perAccountBudget * s.accounts),
      note: `$${(s.transitionsPerHour * DOLLARS_PER_TRANSITION).toFixed(3)} an hour; ${ROUNDS_PER_HOUR} rounds/h and the incident's own states`,
    },
    {
      name: name('transitions per account per SEV1 hour'),
      value: s.transitionsPerHour / s.accounts,
      unit: 'transitions',
      digits: 3,
      budget: perAccountBudget,
      note: 'flat or falling: ≤ the 500-account figure',
    },
    {
      name: name('Lambda invocations per round'),
      value: s.invocations,
      unit: 'calls',
      budget: INVOCATIONS_PER_OWNER * s.owners,
      note: `≤ ${INVOCATIONS_PER_OWNER} an owner; DynamoDB reads per round: ${s.dynamodbReads.toLocaleString('en')}`,
    },
    {
      // A Lambda quota, not a Step Functions limit: it is raised on request, so the row says what a
      // deploy needs rather than failing the size (docs/architecture.md, "Reserved concurrency").
      name: name('peak concurrent step Lambdas'),
      value: s.peakSteps,
      unit: 'Lambdas',
      budget: Math.ceil(PEAK_STEPS_PER_OWNER * s.owners),
      note:
        `≤ ${PEAK_STEPS_PER_OWNER} an owner; ` +
        (s.peakSteps + RESERVED + UNRESERVED_MINIMUM <= ACCOUNT_DEFAULT
          ? `every owner asked at once; fits the default account limit of ${ACCOUNT_DEFAULT} with the ${RESERVED} reserved`
          : `every owner asked at once; needs an account concurrency limit of ${(s.peakSteps + RESERVED + UNRESERVED_MINIMUM).toLocaleString('en')} (default ${ACCOUNT_DEFAULT}), or throttled asks wait on Step Functions' retries`),
    },
    {
      name: name("webhook → every owner's DM: AWS estimate"),
      value: s.dmEstimate.seconds,
      unit: 's',
      digits: 2,
      budget: 2,
      note: s.dmEstimate.how,
    },
    {
      name: name('largest execution payload'),
      value: s.payloadBytes / 1024,
      unit: 'KiB',
      budget: (MARGIN * LIMIT.payloadBytes) / 1024,
      note: 'any state input or output of the round or the incident; AWS limit 256 KiB',
    },
  ];
  if (s.dmSeconds)
    rows.push(wallRatioRow(name("webhook → every owner's DM ÷ floor"), s.dmSeconds.run, s.dmSeconds.floor));
  return rows;
}

/** One child per batch of channels; the parent keeps plan, map run and summary. */
async function broadcastRows(): Promise<BenchRow[]> {
  const definition = JSON.parse(
    await readFile(path.join(ROOT, 'statemachines/broadcast.asl.json'), 'utf8'),
  ) as { States: Record<string, { MaxConcurrency?: number }> };
  const { BATCH_SIZE } = await import('../lambdas/handlers/steps/plan-broadcast/handler.ts');
  const maxConcurrency = definition.States['Post to every channel']?.MaxConcurrency ?? 0;
  // Execution 2 · plan Lambda 5 · Distributed Map 6 · summary Lambda 5; a batch: execution 2 · Lambda 5,
  // and 3 more for each of its up to 5 DeliveryIncomplete retries.
  const parentEvents = 2 + 5 + 6 + 5;
  const batchEvents = 2 + 5 + 3 * 5;
  return [500, 5_000, 20_000].flatMap((channels) => {
    const batches = Math.ceil(channels / BATCH_SIZE);
    const transitions = broadcastTransitions(channels, BATCH_SIZE);
    const waves = maxConcurrency > 0 ? Math.ceil(batches / maxConcurrency) : 1;
    const name = (what: string) => `growth broadcast ${channels.toLocaleString('en')} channels: ${what}`;
    return [
      {
        name: name('history, execution / largest batch'),
        value: parentEvents,
        unit: 'events',
        digits: 0,
        budget: MARGIN * LIMIT.events,
        note: `modelled; ${batches} batches of ${BATCH_SIZE}, each its own child of ≤ ${batchEvents} events (every retry taken)`,
      },
      {
        name: name('transitions'),
        value: transitions,
        unit: 'transitions',
        digits: 0,
        budget: Math.floor(TRANSITIONS_PER_CHANNEL_BUDGET * channels),
        note: `modelled (bench/broadcast-model.ts, checked against a real run by the broadcast rows), no retries; ≤ ${TRANSITIONS_PER_CHANNEL_BUDGET} a channel; $${(transitions * DOLLARS_PER_TRANSITION).toFixed(4)}`,
      },
      {
        name: name('time ÷ floor, least possible'),
        value: waves,
        unit: '×',
        digits: 1,
        budget: 1.2,
        note: `modelled: batches run ${maxConcurrency || 'all'} at a time, each wave at least one rate-limit floor`,
      },
    ];
  });
}
