import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRoster } from '../../lambdas/domain/index.ts';
import type { Roster, RosterInput } from '../../lambdas/domain/roster.ts';
import { startDynamo } from '../../local/dynamodb.ts';
import { localStateMachines, resolveLambda, LOCAL_ACCOUNT, LOCAL_REGION } from '../../local/lambdas.ts';
import { LOCAL_DEFAULTS } from '../../local/options.ts';
import { startSes } from '../../local/ses.ts';
import { startSesFaults, type SesFaults } from '../../local/ses-faults.ts';
import { startSlackStandIn, type SlackStandIn } from '../../local/slack/index.ts';
import {
  startStepFunctions,
  stateMachineArn,
  type LocalStepFunctions,
} from '../../local/stepfunctions/index.ts';
import { startTwilioStandIn, type TwilioStandIn } from '../../local/twilio/index.ts';

/**
 * The delivery side of the local runtime, for these tests: dynalite, SES behind its fault proxy, the Slack
 * and Twilio stand-ins and (for broadcasts) Step Functions running only the broadcast machine — wired by the
 * same endpoint variables the runtime sets, so the handlers run unchanged. The incident workflow is left
 * out on purpose: these tests seed rounds themselves and call the delivery step directly.
 */
export interface World {
  roster: Roster;
  slack: SlackStandIn;
  twilio: TwilioStandIn;
  ses: SesFaults;
  sesUrl: string;
  sfn?: LocalStepFunctions;
  close(): Promise<void>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function exampleRoster(): RosterInput {
  return JSON.parse(readFileSync(path.join(root, 'config', 'roster.example.json'), 'utf8')) as RosterInput;
}

export async function startWorld(
  options: {
    roster?: RosterInput;
    slackRateLimit?: { perChannelPerSecond: number };
    broadcasts?: boolean;
  } = {},
): Promise<World> {
  const roster = parseRoster(options.roster ?? exampleRoster());
  const closers: (() => Promise<void>)[] = [];
  const env = process.env;
  env.AWS_REGION = LOCAL_REGION;
  env.AWS_ACCESS_KEY_ID = 'local';
  env.AWS_SECRET_ACCESS_KEY = 'local';
  env.TABLE_NAME = 'delivery-tests';
  env.SES_FROM_ADDRESS = LOCAL_DEFAULTS.sesFromAddress;
  env.SLACK_BOT_TOKEN = LOCAL_DEFAULTS.slackBotToken;
  env.TWILIO_ACCOUNT_SID = LOCAL_DEFAULTS.twilioAccountSid;
  env.TWILIO_AUTH_TOKEN = LOCAL_DEFAULTS.twilioAuthToken;
  env.TWILIO_FROM_NUMBER = '+15005550006';

  const dynamo = await startDynamo({ tableName: env.TABLE_NAME });
  closers.push(() => dynamo.close());
  env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.url;
  const sesServer = await startSes();
  closers.push(() => sesServer.close());
  const ses = await startSesFaults(sesServer.url);
  closers.push(() => ses.close());
  env.AWS_ENDPOINT_URL_SES = ses.url;
  const slack = await startSlackStandIn({
    botToken: LOCAL_DEFAULTS.slackBotToken,
    signingSecret: 'delivery-tests',
    interactionsUrl: () => 'http://127.0.0.1:9/unused',
    users: roster.people.map((p) => ({ id: p.slackUserId, name: p.id, realName: p.name, tz: p.timeZone })),
    channels: [
      ...roster.accounts.flatMap((a) =>
        a.slackChannelId ? [{ id: a.slackChannelId, name: `ext-${a.id}` }] : [],
      ),
      ...(roster.company.engagementChannelId
        ? [{ id: roster.company.engagementChannelId, name: 'support-customer-success' }]
        : []),
    ],
    ...(options.slackRateLimit ? { rateLimit: options.slackRateLimit } : {}),
  });
  closers.push(() => slack.close());
  env.SLACK_API_URL = slack.apiUrl;
  const twilio = await startTwilioStandIn({
    accountSid: LOCAL_DEFAULTS.twilioAccountSid,
    authToken: LOCAL_DEFAULTS.twilioAuthToken,
  });
  closers.push(() => twilio.close());
  env.TWILIO_API_URL = twilio.url;

  const { importRoster } = await import('../../lambdas/adapters/roster-store.ts');
  const { dynamodb } = await import('../../lambdas/adapters/dynamodb.ts');
  await importRoster(roster, { tableName: env.TABLE_NAME, dynamodb });

  let sfn: LocalStepFunctions | undefined;
  if (options.broadcasts) {
    sfn = await startStepFunctions({
      machines: localStateMachines().filter((m) => m.name === 'broadcast'),
      resolveLambda,
      timeScale: 1,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
    });
    const started = sfn;
    closers.push(() => started.close());
    env.AWS_ENDPOINT_URL_SFN = sfn.url;
    env.BROADCAST_STATE_MACHINE_ARN = stateMachineArn('broadcast', LOCAL_REGION, LOCAL_ACCOUNT);
  }
  return {
    roster,
    slack,
    twilio,
    ses,
    sesUrl: sesServer.url,
    ...(sfn ? { sfn } : {}),
    close: async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}

/** Polls until `find` returns something; fails saying what it waited for. */
export { waitFor as eventually } from '../../local/driver.ts';
