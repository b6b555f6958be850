/**
 * The secrets a function may read, each a JSON secret in Secrets Manager whose ARN arrives as
 * `<GROUP>_SECRET_ARN` (lib/access.ts grants them; adapters/secrets.ts reads them).
 */
export const SECRET_GROUPS = ['SLACK', 'PAGERDUTY', 'TWILIO'] as const;
export type SecretGroup = (typeof SECRET_GROUPS)[number];

/**
 * Every Lambda the product deploys, in one list. The CDK stack builds one function per entry and the
 * local runtime maps each function's ARN to the same handler module, so the two cannot drift apart.
 */
export interface FunctionSpec {
  /**
   * The deployed function's name suffix, the CDK construct id and the key of its IAM access. Stable on
   * purpose, apart from where the code lives: running executions hold the function's ARN, so renaming a
   * deployed function would strand every incident in flight (docs/architecture.md, "Names that stay").
   */
  readonly name: string;
  /** Folder under lambdas/ holding `handler.ts` (exporting `handler`). Free to move with the code. */
  readonly handler: string;
  readonly description: string;
  /** The `${…}` placeholder the ASL files use for this function's ARN; absent for API-only handlers. */
  readonly substitution?: string;
  /**
   * For a function the ASL calls as a callback task (`.waitForTaskToken`): the type in payloads.ts of what
   * completes the task (SendTaskSuccess's output), which is the task's result, not the handler's return.
   */
  readonly answers?: string;
  /** HTTP routes (API Gateway route keys) served by this handler. */
  readonly routes?: readonly string[];
  /** Real execution-time bound; state-machine TimeoutSeconds on its task must not be lower. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * A front door that answers first and finishes in an asynchronous invocation of itself
   * (adapters/follow-up.ts, docs/architecture.md "Answer first, then finish"): how Lambda retries that
   * invocation before it goes to the dead-letter queue. The stack configures it and the local Lambda API
   * follows it.
   */
  readonly followUp?: FollowUpPolicy;
}

export interface FollowUpPolicy {
  /** Retries after a function error (Lambda allows 0–2). */
  readonly maximumRetryAttempts: number;
  /** An event older than this is not run again but dead-lettered (60 s – 6 h). */
  readonly maximumEventAgeSeconds: number;
}

/**
 * Two retries, as Lambda does by default; half an hour, as long as Slack's response_url lives: a follow-up
 * later than that could no longer tell the person anything, and an operator replays it from the queue.
 */
export const FOLLOW_UP: FollowUpPolicy = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 1800 };

export const FUNCTIONS = [
  {
    name: 'pagerduty-webhook',
    handler: 'handlers/http/pagerduty-webhook',
    description: 'Verifies and dedupes PagerDuty v3 webhooks; starts or signals incident executions',
    routes: ['POST /webhooks/pagerduty'],
    timeoutSeconds: 10,
    memoryMb: 512,
    followUp: FOLLOW_UP,
  },
  {
    name: 'slack-interactions',
    handler: 'handlers/http/slack-interactions',
    description: 'Verifies Slack button presses and completes the task they stand for',
    routes: ['POST /slack/interactions'],
    timeoutSeconds: 10,
    memoryMb: 512,
    followUp: FOLLOW_UP,
  },
  {
    name: 'slack-commands',
    handler: 'handlers/http/slack-commands',
    description: 'The /comms slash command',
    routes: ['POST /slack/commands'],
    timeoutSeconds: 10,
    memoryMb: 512,
    followUp: FOLLOW_UP,
  },
  {
    name: 'slack-events',
    handler: 'handlers/http/slack-events',
    description:
      "Slack's Events API: verifies the request, answers the URL check, publishes App Home, forwards customers' replies",
    routes: ['POST /slack/events'],
    timeoutSeconds: 10,
    memoryMb: 512,
    followUp: FOLLOW_UP,
  },
  {
    name: 'twilio-status',
    handler: 'handlers/http/twilio-status',
    description: "Verifies Twilio's SMS status callbacks and records delivery receipts on the log",
    routes: ['POST /webhooks/twilio/status'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    name: 'read-api',
    handler: 'handlers/http/read-api',
    description: 'Read API over incidents and the notification log',
    routes: [
      'GET /api/incidents',
      'GET /api/incidents/{id}',
      'GET /api/incidents/{id}/notifications',
      'GET /api/incidents/{id}/retrospective',
      'GET /api/accounts/{id}/notifications',
      'GET /api/broadcasts',
      'GET /api/broadcasts/{id}',
    ],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    name: 'load-incident',
    handler: 'handlers/steps/schedule',
    description: 'Loads an incident and its severity policy for the workflow',
    substitution: 'ScheduleFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 512,
  },
  {
    name: 'draft-update',
    handler: 'handlers/steps/draft-update',
    description: 'Drafts one update round from the handbook templates',
    substitution: 'DraftUpdateFunctionArn',
    timeoutSeconds: 30,
    memoryMb: 512,
  },
  {
    name: 'ask-owner',
    handler: 'handlers/steps/ask-to-send',
    description: 'DMs an account owner the draft with buttons and parks the task token',
    substitution: 'AskToSendFunctionArn',
    answers: 'AskOutcome',
    timeoutSeconds: 20,
    memoryMb: 512,
  },
  {
    name: 'deliver-update',
    handler: 'handlers/steps/deliver-update',
    description: "Sends an approved update to an owner's accounts, exactly once per recipient",
    substitution: 'DeliverUpdateFunctionArn',
    timeoutSeconds: 120,
    memoryMb: 512,
  },
  {
    name: 'park-for-events',
    handler: 'handlers/steps/park-for-events',
    description: 'Parks the incident wait token, handing over any event that arrived meanwhile',
    substitution: 'ParkForEventsFunctionArn',
    answers: 'DeliveredEvent',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    name: 'notify-cmoc',
    handler: 'handlers/steps/notify-cmoc',
    description: 'Tells the CMOC what needs a person: round summaries, failures, closures',
    substitution: 'NotifyCmocFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    name: 'ask-cmoc',
    handler: 'handlers/steps/ask-cmoc-review',
    description: "Puts a drafted round in front of the CMOC with 'Approve draft' and parks the review token",
    substitution: 'AskCmocReviewFunctionArn',
    answers: 'ReviewAnswer',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    name: 'ask-try-again',
    handler: 'handlers/steps/ask-try-again',
    description: "Asks the CMOC to try a failed step again or stop the incident's comms; records a stop",
    substitution: 'AskTryAgainFunctionArn',
    answers: 'RecoveryAnswer',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    name: 'tell-owners',
    handler: 'handlers/steps/tell-severity-change',
    description: 'Tells the owners and the CMOC that the severity and cadence changed',
    substitution: 'TellSeverityChangeFunctionArn',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  {
    name: 'hand-over',
    handler: 'handlers/steps/hand-over',
    description: "Hands the incident to the next region's CMOC with the state of every account",
    substitution: 'HandOverFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    name: 'plan-broadcast',
    handler: 'handlers/steps/plan-broadcast',
    description: "Works out a broadcast's audience, splits it into batches, opens its progress message",
    substitution: 'PlanBroadcastFunctionArn',
    timeoutSeconds: 30,
    memoryMb: 512,
  },
  {
    name: 'send-broadcast-batch',
    handler: 'handlers/steps/send-broadcast-batch',
    description: 'Posts a company broadcast to one batch of customer channels, each channel at most once',
    substitution: 'SendBroadcastBatchFunctionArn',
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  {
    name: 'finish-broadcast',
    handler: 'handlers/steps/finish-broadcast',
    description: 'Settles every channel of a company broadcast and tells the CMOC how it went',
    substitution: 'FinishBroadcastFunctionArn',
    timeoutSeconds: 90,
    memoryMb: 256,
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionName = (typeof FUNCTIONS)[number]['name'];

/** Deployed name of a function: the stack prefixes it so two stacks can share an account. */
export function functionName(prefix: string, name: string): string {
  return `${prefix}-${name}`;
}

/**
 * State machines: file under statemachines/, the substitution other machines use for its ARN, and the
 * types in payloads.ts of what an execution starts with and (for a child that is waited for) returns.
 */
export const STATE_MACHINES = [
  {
    file: 'incident.asl.json',
    name: 'incident',
    substitution: 'IncidentStateMachineArn',
    input: 'IncidentExecutionInput',
  },
  {
    file: 'update-round.asl.json',
    name: 'update-round',
    substitution: 'UpdateRoundStateMachineArn',
    input: 'RoundInput',
    output: 'ScheduledStep',
  },
  {
    file: 'postmortem.asl.json',
    name: 'postmortem',
    substitution: 'PostmortemStateMachineArn',
    input: 'IncidentExecutionInput',
  },
  {
    file: 'broadcast.asl.json',
    name: 'broadcast',
    substitution: 'BroadcastStateMachineArn',
    input: 'BroadcastInput',
  },
] as const;
