import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Roster, RosterInput } from '../../lambdas/domain/roster.ts';
import { parseLambdaFaults, type LambdaFaults } from '../../local/lambda-faults.ts';
import type { LocalLambdaApi } from '../../local/lambda-api.ts';
import { optionsFromEnv } from '../../local/options.ts';
import { startRuntime, type Runtime, type RuntimeExtras } from '../../local/runtime.ts';
import type { SesFaults } from '../../local/ses-faults.ts';
import type { SlackStandIn } from '../../local/slack/index.ts';
import type { LocalEngine, LocalStepFunctions } from '../../local/stepfunctions/index.ts';
import type { TwilioStandIn } from '../../local/twilio/index.ts';
import { exampleRoster } from './rosters.ts';

/**
 * The one way a test (or the bench) starts the product: the whole local runtime on free ports, with the
 * roster a suite chooses, the stand-ins it drives and the SDK clients pointed at it. What differs between
 * suites is only the options; what they add on top (scenario rosters, seeded rounds, declaring incidents,
 * people pressing buttons) lives in the small modules beside this one.
 */
export interface WorldOptions {
  /** Imported at start; the example roster when left out. */
  roster?: RosterInput;
  /** Divides every human-scale wait (1: real time; 60: a 30-minute cadence in 30 s). */
  timeScale?: number;
  /** Make the Slack stand-in enforce Slack's per-channel posting limit. */
  slackRateLimit?: RuntimeExtras['slackRateLimit'];
  /** Import every handler before returning, so the first event pays no module loading. */
  warmLambdas?: boolean;
  /** Every Slack Web API call answers this long after it arrived; `world.slack.setDelay(ms)` changes it. */
  slackDelayMs?: number;
  /** Waits before the retries of a front door's follow-up (Lambda: 1 and 2 minutes). */
  asyncRetryDelaysMs?: readonly number[];
  /** Faults for the steps' Lambdas from the start, in LAMBDA_FAULTS syntax; `world.faults` changes them later. */
  lambdaFaults?: string;
  /** Seeds the faults' draws; 1 unless given, so a test's faults are the same every run. */
  faultSeed?: number;
  /** Worker threads for a broadcast's batch Lambdas (LAMBDA_WORKERS); the runtime's default when left out. */
  lambdaWorkers?: number;
  /** Wraps how Step Functions finds each Lambda, as `npm start` does to print the sends (local/activity.ts). */
  observeLambdas?: RuntimeExtras['observeLambdas'];
}

export interface World {
  runtime: Runtime;
  roster: Roster;
  timeScale: number;
  slack: SlackStandIn;
  twilio: TwilioStandIn;
  /** The proxy in front of SES the handlers talk to: it throttles or fails on request. */
  ses: SesFaults;
  /** The SES stand-in itself, whose sent mail a test reads. */
  sesUrl: string;
  /** Faults injected into the steps' Lambdas: `set('*=0.2,*=timeout:0.05')`, `clear()`, `counts()`. */
  faults: LambdaFaults;
  /** Lambda's Invoke API: the front doors' follow-ups, and the dead letters of those that failed. */
  lambda: LocalLambdaApi;
  stepFunctions: LocalStepFunctions;
  engine: LocalEngine;
  /** The real SDK clients, pointed at the local services. */
  sfn: SFNClient;
  db: DynamoDBDocumentClient;
  close(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const timeScale = options.timeScale ?? 1;
  // The runtime reads its roster from a file, as `npm start` does.
  const dir = await mkdtemp(path.join(tmpdir(), 'test-world-'));
  const rosterFile = path.join(dir, 'roster.json');
  await writeFile(rosterFile, JSON.stringify(options.roster ?? exampleRoster()));
  const removeRoster = () => rm(dir, { recursive: true, force: true });
  let runtime: Runtime;
  try {
    const faults = options.lambdaFaults ? { lambdaFaults: parseLambdaFaults(options.lambdaFaults) } : {};
    const workers = options.lambdaWorkers === undefined ? {} : { lambdaWorkers: options.lambdaWorkers };
    const defaults = {
      port: 0,
      timeScale,
      rosterFile,
      faultSeed: options.faultSeed ?? 1,
      ...faults,
      ...workers,
    };
    runtime = await startRuntime(optionsFromEnv({}, defaults), {
      ...(options.slackRateLimit ? { slackRateLimit: options.slackRateLimit } : {}),
      ...(options.warmLambdas ? { warmLambdas: true } : {}),
      ...(options.slackDelayMs ? { slackDelayMs: options.slackDelayMs } : {}),
      ...(options.asyncRetryDelaysMs ? { asyncRetryDelaysMs: options.asyncRetryDelaysMs } : {}),
      ...(options.observeLambdas ? { observeLambdas: options.observeLambdas } : {}),
    });
  } catch (error) {
    await removeRoster();
    throw error;
  }
  const close = async () => {
    await runtime.close();
    await removeRoster();
  };
  const { slack, twilio } = runtime;
  if (!slack || !twilio) {
    await close();
    throw new Error('a test world needs the Slack and Twilio stand-ins: unset SLACK_BOT_TOKEN and TWILIO_*');
  }
  return {
    runtime,
    roster: runtime.roster,
    timeScale,
    slack,
    twilio,
    ses: runtime.sesFaults,
    sesUrl: runtime.sesUrl,
    faults: runtime.lambdaFaults,
    lambda: runtime.lambda,
    stepFunctions: runtime.stepFunctions,
    engine: runtime.stepFunctions.engine,
    sfn: new SFNClient({ endpoint: runtime.endpoints.stepFunctions, region: 'us-east-1', credentials }),
    db: DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: runtime.endpoints.dynamodb, region: 'us-east-1', credentials }),
    ),
    close,
  };
}
