import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaultSpecError, parseFaultSeed, parseLambdaFaults, type FaultPlan } from './lambda-faults.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Printed at start-up so a person can sign requests by hand; never used outside the local runtime. */
export const LOCAL_DEFAULTS = {
  pagerdutyWebhookSecrets: 'local-pagerduty-secret',
  slackSigningSecret: 'local-slack-signing-secret',
  slackBotToken: 'xoxb-local-stand-in',
  twilioAccountSid: 'AC00000000000000000000000000000000',
  twilioAuthToken: 'local-twilio-token',
  sesFromAddress: 'incidents@example.com',
  tableName: 'incident-comms',
} as const;

export interface RuntimeOptions {
  /** Port of the product's HTTP API (`PORT`); 0 picks a free one. */
  port: number;
  /** Divides every human-scale wait and timeout (`TIME_SCALE`): 60 turns a 30-minute cadence into 30 s. */
  timeScale: number;
  /** Roster to import at start (`ROSTER_FILE`). */
  rosterFile: string;
  /** Keep DynamoDB data on disk here between runs (`DATA_DIR`); in memory when unset. */
  dataDir?: string;
  /** Faults injected into the Lambdas the state machines invoke (`LAMBDA_FAULTS`, local/lambda-faults.ts). */
  lambdaFaults?: FaultPlan;
  /** Seeds the faults' draws (`FAULT_SEED`); a random seed, printed at start, when unset. */
  faultSeed?: number;
  /**
   * Worker threads for the Lambdas a Distributed Map runs side by side (`LAMBDA_WORKERS`,
   * local/lambda-workers.ts): one per core but one, at most 4, when unset; up to 16 when set; 0 runs every
   * handler on the main thread.
   */
  lambdaWorkers?: number;
}

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/** Options from the environment, with precise errors for values that make no sense. */
export function optionsFromEnv(
  env: NodeJS.ProcessEnv,
  defaults: Partial<RuntimeOptions> = {},
): RuntimeOptions {
  const port = env.PORT === undefined || env.PORT === '' ? (defaults.port ?? 3000) : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new OptionsError(`PORT must be a whole number from 0 to 65535 (got "${env.PORT}")`);
  }
  const timeScale =
    env.TIME_SCALE === undefined || env.TIME_SCALE === ''
      ? (defaults.timeScale ?? 1)
      : Number(env.TIME_SCALE);
  if (!Number.isFinite(timeScale) || timeScale < 1 || timeScale > 100_000) {
    throw new OptionsError(`TIME_SCALE must be a number from 1 to 100000 (got "${env.TIME_SCALE}")`);
  }
  const rosterFile = path.resolve(
    env.ROSTER_FILE || defaults.rosterFile || path.join(root, 'config', 'roster.example.json'),
  );
  const dataDir = env.DATA_DIR ? path.resolve(env.DATA_DIR) : defaults.dataDir;
  let lambdaFaults = defaults.lambdaFaults;
  let faultSeed = defaults.faultSeed;
  try {
    if (env.LAMBDA_FAULTS) lambdaFaults = parseLambdaFaults(env.LAMBDA_FAULTS);
    if (env.FAULT_SEED) faultSeed = parseFaultSeed(env.FAULT_SEED);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new OptionsError(error.message);
    throw error;
  }
  const lambdaWorkers =
    env.LAMBDA_WORKERS === undefined || env.LAMBDA_WORKERS === ''
      ? defaults.lambdaWorkers
      : Number(env.LAMBDA_WORKERS);
  if (
    lambdaWorkers !== undefined &&
    (!Number.isInteger(lambdaWorkers) || lambdaWorkers < 0 || lambdaWorkers > 16)
  ) {
    throw new OptionsError(
      `LAMBDA_WORKERS must be a whole number from 0 to 16 (got "${env.LAMBDA_WORKERS}")`,
    );
  }
  return {
    port,
    timeScale,
    rosterFile,
    ...(dataDir ? { dataDir } : {}),
    ...(lambdaFaults ? { lambdaFaults } : {}),
    ...(faultSeed !== undefined ? { faultSeed } : {}),
    ...(lambdaWorkers !== undefined ? { lambdaWorkers } : {}),
  };
}

/**
 * `SLACK_DELAY_MS`: the Slack stand-in answers every Web API call this long after it arrived (a slow
 * Slack, to watch the front doors answer first); unset or 0 answers at once.
 */
export function slackDelayFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  if (env.SLACK_DELAY_MS === undefined || env.SLACK_DELAY_MS === '') return undefined;
  const ms = Number(env.SLACK_DELAY_MS);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) {
    throw new OptionsError(
      `SLACK_DELAY_MS must be a whole number of milliseconds from 0 to 60000 (got "${env.SLACK_DELAY_MS}")`,
    );
  }
  return ms;
}
