import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Roster, RosterInput } from '../../lambdas/domain/roster.ts';
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
    runtime = await startRuntime(optionsFromEnv({}, { port: 0, timeScale, rosterFile }), {
      ...(options.slackRateLimit ? { slackRateLimit: options.slackRateLimit } : {}),
      ...(options.warmLambdas ? { warmLambdas: true } : {}),
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
    stepFunctions: runtime.stepFunctions,
    engine: runtime.stepFunctions.engine,
    sfn: new SFNClient({ endpoint: runtime.endpoints.stepFunctions, region: 'us-east-1', credentials }),
    db: DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: runtime.endpoints.dynamodb, region: 'us-east-1', credentials }),
    ),
    close,
  };
}
