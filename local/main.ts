import { OptionsError, optionsFromEnv, slackDelayFromEnv } from './options.ts';
import { Activity } from './activity.ts';
import { startRuntime } from './runtime.ts';

/** `npm start`: the whole product on this machine, until Ctrl-C. */
async function main(): Promise<void> {
  const options = optionsFromEnv(process.env);
  const slackDelayMs = slackDelayFromEnv(process.env);
  const activity = new Activity((line) => console.log(line));
  const runtime = await startRuntime(options, {
    warmLambdas: true,
    observeLambdas: (resolve) => activity.observeLambdas(resolve),
    ...(slackDelayMs ? { slackDelayMs } : {}),
  });
  const lines = [
    `incident-comms is running locally (time scale ${options.timeScale}×, roster ${options.rosterFile})`,
    '',
    `  API                 ${runtime.apiUrl}  (POST /webhooks/pagerduty, /webhooks/twilio/status, /slack/interactions, /slack/commands; GET /api/incidents)`,
    `  endpoints as JSON   ${runtime.apiUrl}/local/endpoints`,
    `  Slack stand-in      ${runtime.slack ? `${runtime.slack.url}  (open in a browser and act as anyone: their DMs, buttons, modals, live)` : 'real Slack (SLACK_BOT_TOKEN is set)'}`,
    `  Step Functions API  ${runtime.endpoints.stepFunctions}  (aws stepfunctions … --endpoint-url ${runtime.endpoints.stepFunctions})`,
    `  DynamoDB (dynalite) ${runtime.endpoints.dynamodb}`,
    `  SES (mail viewer)   ${runtime.sesUrl}`,
    `  Lambda Invoke API   ${runtime.endpoints.lambda}  (the front doors' follow-ups; dead letters at /dead-letters)`,
    ...(runtime.twilio
      ? [`  Twilio stand-in     ${runtime.twilio.url}  (open in a browser: texts per number)`]
      : []),
    '',
    ...(runtime.lambdaFaults.plan().size > 0
      ? [
          `  LAMBDA_FAULTS=${runtime.lambdaFaults.describe()} FAULT_SEED=${runtime.lambdaFaults.seed}  (injected into the steps; same seed, same faults)`,
          '',
        ]
      : []),
    `  PAGERDUTY_WEBHOOK_SECRETS=${runtime.secrets.pagerduty.join(',')}`,
    `  SLACK_SIGNING_SECRET=${runtime.secrets.slackSigning}`,
    '',
    'Try it: `npm run demo` in another terminal plays a whole incident against a fresh runtime.',
    'Press Ctrl-C to stop. What happens to each incident is printed below as it happens.',
    '',
  ];
  console.log(lines.join('\n'));
  activity.watch(runtime.stepFunctions.engine);
  const stop = () => {
    activity.close();
    void runtime.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof OptionsError) {
    console.error(`incident-comms: ${error.message}`);
    process.exit(2);
  }
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    console.error(
      `incident-comms: port ${process.env.PORT ?? 3000} is in use; set PORT to another port (or 0 for any free one)`,
    );
    process.exit(2);
  }
  console.error('incident-comms failed to start:', error);
  process.exit(1);
});
