import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseRoster } from '../lambdas/domain/index.ts';
import type { Roster } from '../lambdas/domain/roster.ts';
import { startApiServer } from './api-server.ts';
import { startDynamo } from './dynamodb.ts';
import { FUNCTIONS } from '../lambdas/contract/functions.ts';
import { invocationFaults, LambdaFaults } from './lambda-faults.ts';
import { functionNameOf, startLambdaApi, type LocalLambdaApi } from './lambda-api.ts';
import {
  handlerFor,
  handlerOn,
  lambdaContext,
  localFunctionArn,
  localStateMachines,
  type resolveLambda,
  resolveLambdaOn,
  FUNCTION_PREFIX,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
} from './lambdas.ts';
import { startLambdaWorkers, type LambdaWorkers } from './lambda-workers.ts';
import { LOCAL_DEFAULTS, type RuntimeOptions } from './options.ts';
import { startSes } from './ses.ts';
import { startSesFaults, type SesFaults } from './ses-faults.ts';
import { slackPageOptions } from './slack-page.ts';
import { startSlackStandIn, type SlackStandIn } from './slack/index.ts';
import { warmClients } from './warm-clients.ts';
import { startStepFunctions, stateMachineArn, type LocalStepFunctions } from './stepfunctions/index.ts';
import { startTwilioStandIn, type TwilioStandIn } from './twilio/index.ts';

/** A status callback URL a local runtime set (possibly an earlier one in this process, now gone). */
const LOCAL_CALLBACK = /^http:\/\/127\.0\.0\.1:\d+\/webhooks\/twilio\/status$/;

/** Where each part of the local product listens; `twilio` only when the Twilio stand-in runs. */
export type RuntimeEndpoints = {
  api: string;
  stepFunctions: string;
  dynamodb: string;
  ses: string;
  slack: string;
  /** Lambda's Invoke API: the front doors' follow-ups (asynchronous invocations) and their dead letters. */
  lambda: string;
  twilio?: string;
};

export interface Runtime {
  apiUrl: string;
  endpoints: RuntimeEndpoints;
  roster: Roster;
  stepFunctions: LocalStepFunctions;
  /** Lambda's Invoke API: runs follow-ups in the background; `deadLetters()` are those it gave up on. */
  lambda: LocalLambdaApi;
  /** Absent when real Slack is used (SLACK_BOT_TOKEN set by the caller). */
  slack?: SlackStandIn;
  twilio?: TwilioStandIn;
  sesUrl: string;
  /** Makes the local SES throttle or fail (a proxy in front of it; the handlers talk to the proxy). */
  sesFaults: SesFaults;
  /**
   * Faults injected into the Lambdas the state machines invoke (LAMBDA_FAULTS at start); `set`, `clear`
   * and `counts` work while the runtime runs.
   */
  lambdaFaults: LambdaFaults;
  /** The worker threads the Distributed Maps' Lambdas run on (local/lambda-workers.ts). */
  workers: LambdaWorkers;
  secrets: { pagerduty: string[]; slackSigning: string };
  incidentStateMachineArn: string;
  close(): Promise<void>;
}

/**
 * Starts the whole product on one machine: the stand-ins first, then the environment the handlers read
 * (only endpoints and secrets differ from AWS), then the roster import, Step Functions and the API.
 */
/** Stand-in behaviour a test or bench wants beyond the defaults. */
export interface RuntimeExtras {
  /** Make the Slack stand-in enforce Slack's per-channel posting limit (429 + Retry-After). */
  slackRateLimit?: { perChannelPerSecond: number };
  /**
   * Import every handler before returning, as warm Lambdas: the first event then pays no module loading
   * (which, here, includes compiling TypeScript — far more than a bundled Lambda's cold start).
   */
  warmLambdas?: boolean;
  /** Every Slack Web API call answers after this long (SLACK_DELAY_MS): a slow Slack, for the front doors. */
  slackDelayMs?: number;
  /** Waits before the retries of an asynchronous invocation (Lambda: 1 and 2 minutes, divided by TIME_SCALE). */
  asyncRetryDelaysMs?: readonly number[];
  /** Wraps how Step Functions finds each Lambda: `npm start` reads the sends' results there (activity.ts). */
  observeLambdas?: (resolve: typeof resolveLambda) => typeof resolveLambda;
}

export async function startRuntime(options: RuntimeOptions, extras: RuntimeExtras = {}): Promise<Runtime> {
  const closers: (() => Promise<void>)[] = [];
  try {
    const roster = parseRoster(JSON.parse(await readFile(options.rosterFile, 'utf8')));
    const env = process.env;
    env.AWS_REGION = LOCAL_REGION;
    env.AWS_ACCESS_KEY_ID ??= 'local';
    env.AWS_SECRET_ACCESS_KEY ??= 'local';
    env.TABLE_NAME ??= LOCAL_DEFAULTS.tableName;
    env.PAGERDUTY_WEBHOOK_SECRETS ||= LOCAL_DEFAULTS.pagerdutyWebhookSecrets;
    env.SLACK_SIGNING_SECRET ||= LOCAL_DEFAULTS.slackSigningSecret;
    env.SES_FROM_ADDRESS ||= LOCAL_DEFAULTS.sesFromAddress;
    env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    // No CloudWatch here to read the metric lines, which would bury the terminal of `npm start` (every
    // delivery writes some): off unless the caller sets POWERTOOLS_METRICS_DISABLED=false to see them.
    env.POWERTOOLS_METRICS_DISABLED ??= 'true';

    const dynamo = await startDynamo({
      tableName: env.TABLE_NAME,
      ...(options.dataDir ? { path: options.dataDir } : {}),
    });
    closers.push(() => dynamo.close());
    env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.url;

    const ses = await startSes();
    closers.push(() => ses.close());
    const sesFaults = await startSesFaults(ses.url);
    closers.push(() => sesFaults.close());
    env.AWS_ENDPOINT_URL_SES = sesFaults.url;

    let apiUrl = '';
    let slack: SlackStandIn | undefined;
    // The runtime writes its own defaults into the environment; an earlier runtime in this process (or the
    // parent of this process) having done so must not read as "the caller configured real Slack/Twilio".
    if (!env.SLACK_BOT_TOKEN || env.SLACK_BOT_TOKEN === LOCAL_DEFAULTS.slackBotToken) {
      env.SLACK_BOT_TOKEN = LOCAL_DEFAULTS.slackBotToken;
      slack = await startSlackStandIn({
        botToken: LOCAL_DEFAULTS.slackBotToken,
        signingSecret: env.SLACK_SIGNING_SECRET,
        interactionsUrl: () => `${apiUrl}/slack/interactions`,
        commandsUrl: () => `${apiUrl}/slack/commands`,
        eventsUrl: () => `${apiUrl}/slack/events`,
        users: roster.people.map((p) => ({
          id: p.slackUserId,
          name: p.id,
          realName: p.name,
          tz: p.timeZone,
          email: p.email,
        })),
        channels: [
          ...roster.accounts.flatMap((a) =>
            a.slackChannelId ? [{ id: a.slackChannelId, name: `ext-${a.id}` }] : [],
          ),
          // Where customer replies to a company broadcast are watched.
          ...(roster.company.engagementChannelId
            ? [{ id: roster.company.engagementChannelId, name: 'support-customer-success' }]
            : []),
        ],
        // The page links to the mail and the texts the product sent (Twilio starts after Slack).
        page: slackPageOptions(roster, () => [
          { label: 'Mail (SES)', url: ses.url },
          ...(twilio ? [{ label: 'Texts (Twilio)', url: `${twilio.url}/` }] : []),
        ]),
        ...(extras.slackRateLimit ? { rateLimit: extras.slackRateLimit } : {}),
        ...(extras.slackDelayMs ? { delayMs: extras.slackDelayMs } : {}),
      });
      const standIn = slack;
      closers.push(() => standIn.close());
      env.SLACK_API_URL = slack.apiUrl;
    }

    let twilio: TwilioStandIn | undefined;
    if (!env.TWILIO_ACCOUNT_SID || env.TWILIO_ACCOUNT_SID === LOCAL_DEFAULTS.twilioAccountSid) {
      env.TWILIO_ACCOUNT_SID = LOCAL_DEFAULTS.twilioAccountSid;
      env.TWILIO_AUTH_TOKEN = LOCAL_DEFAULTS.twilioAuthToken;
      twilio = await startTwilioStandIn({
        accountSid: LOCAL_DEFAULTS.twilioAccountSid,
        authToken: LOCAL_DEFAULTS.twilioAuthToken,
      });
      const twilioStandIn = twilio;
      closers.push(() => twilioStandIn.close());
      env.TWILIO_API_URL = twilio.url;
      // Twilio's test-credential sender number, valid for any destination.
      env.TWILIO_FROM_NUMBER ||= '+15005550006';
    }

    // Threads start on the first invocation (or at warm-up), by when every variable above is set.
    const workers = startLambdaWorkers(
      options.lambdaWorkers === undefined ? {} : { size: options.lambdaWorkers },
    );
    closers.push(() => workers.close());
    const resolveLocal = resolveLambdaOn(workers);

    // The same handlers, invoked by the front doors themselves (their follow-ups) as Lambda would.
    const lambda = await startLambdaApi({
      find: (name) => {
        const spec = FUNCTIONS.find((f) => functionNameOf(localFunctionArn(f.name)) === name);
        if (!spec) return undefined;
        return {
          name,
          timeoutSeconds: spec.timeoutSeconds,
          ...('followUp' in spec ? { followUp: spec.followUp } : {}),
          handler: () => handlerOn(workers, spec.name),
          context: () => lambdaContext(spec.name, spec.timeoutSeconds),
        };
      },
      timeScale: options.timeScale,
      ...(extras.asyncRetryDelaysMs ? { retryDelaysMs: extras.asyncRetryDelaysMs } : {}),
    });
    closers.push(() => lambda.close());
    env.AWS_ENDPOINT_URL_LAMBDA = lambda.url;

    // Handlers are imported only from here on, after every endpoint variable is in place.
    const { importRoster } = await import('../lambdas/adapters/roster-store.ts');
    const { dynamodb } = await import('../lambdas/adapters/dynamodb.ts');
    await importRoster(roster, { tableName: env.TABLE_NAME, dynamodb });

    const lambdaFaults = new LambdaFaults(
      options.lambdaFaults ?? new Map(),
      options.faultSeed ?? randomInt(0x100000000),
    );
    const stepFunctions = await startStepFunctions({
      machines: localStateMachines(),
      resolveLambda: extras.observeLambdas ? extras.observeLambdas(resolveLocal) : resolveLocal,
      invocationFault: invocationFaults(lambdaFaults, FUNCTION_PREFIX),
      timeScale: options.timeScale,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
    });
    closers.push(() => stepFunctions.close());
    env.AWS_ENDPOINT_URL_SFN = stepFunctions.url;
    const incidentStateMachineArn = stateMachineArn('incident', LOCAL_REGION, LOCAL_ACCOUNT);
    env.STATE_MACHINE_ARN = incidentStateMachineArn;
    env.BROADCAST_STATE_MACHINE_ARN = stateMachineArn('broadcast', LOCAL_REGION, LOCAL_ACCOUNT);

    const services: Omit<RuntimeEndpoints, 'api'> = {
      stepFunctions: stepFunctions.url,
      dynamodb: dynamo.url,
      ses: ses.url,
      slack: slack?.url ?? 'https://slack.com',
      lambda: lambda.url,
      ...(twilio ? { twilio: twilio.url } : {}),
    };
    const api = await startApiServer({
      port: options.port,
      endpoints: () => ({ api: apiUrl, ...services }),
    });
    closers.push(() => api.close());
    apiUrl = api.url;
    const endpoints: RuntimeEndpoints = { ...services, api: apiUrl };
    // Delivery receipts from the stand-in come back to the product's own route, signed with the token
    // the handler checks. A URL the caller chose stays; one an earlier runtime left behind is replaced.
    const receipts = env.TWILIO_STATUS_CALLBACK_URL;
    if (twilio && (!receipts || LOCAL_CALLBACK.test(receipts))) {
      env.TWILIO_STATUS_CALLBACK_URL = `${apiUrl}/webhooks/twilio/status`;
    }

    // The pool's threads copy the environment as it is now, with the API's URL and the receipts' route.
    if (extras.warmLambdas) {
      const warmth = { slackStandIn: slack !== undefined };
      await Promise.all([
        ...FUNCTIONS.map((f) => handlerFor(f.name)),
        workers.warm(warmth),
        warmClients(warmth),
      ]);
    }

    return {
      apiUrl,
      endpoints,
      roster,
      stepFunctions,
      lambda,
      ...(slack ? { slack } : {}),
      ...(twilio ? { twilio } : {}),
      sesUrl: ses.url,
      sesFaults,
      lambdaFaults,
      workers,
      secrets: {
        pagerduty: env.PAGERDUTY_WEBHOOK_SECRETS.split(','),
        slackSigning: env.SLACK_SIGNING_SECRET,
      },
      incidentStateMachineArn,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  // Newest first: the API stops taking requests before the services behind it go.
  for (const close of closers.reverse()) await close().catch(() => undefined);
}
