/**
 * Every Lambda the product deploys, in one list. The CDK stack builds one function per entry and the
 * local runtime maps each function's ARN to the same handler module, so the two cannot drift apart.
 */
export interface FunctionSpec {
  /** Folder under lambdas/ holding `handler.ts` (exporting `handler`). Also the function name suffix. */
  readonly dir: string;
  readonly description: string;
  /** The `${…}` placeholder the ASL files use for this function's ARN; absent for API-only handlers. */
  readonly substitution?: string;
  /** HTTP routes (API Gateway route keys) served by this handler. */
  readonly routes?: readonly string[];
  /** Real execution-time bound; state-machine TimeoutSeconds on its task must not be lower. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export const FUNCTIONS = [
  {
    dir: 'pagerduty-webhook',
    description: 'Verifies and dedupes PagerDuty v3 webhooks; starts or signals incident executions',
    routes: ['POST /webhooks/pagerduty'],
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  {
    dir: 'slack-interactions',
    description: 'Verifies Slack button presses and completes the task they stand for',
    routes: ['POST /slack/interactions'],
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  {
    dir: 'slack-commands',
    description: 'The /comms slash command',
    routes: ['POST /slack/commands'],
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  {
    dir: 'twilio-status',
    description: "Verifies Twilio's SMS status callbacks and records delivery receipts on the log",
    routes: ['POST /webhooks/twilio/status'],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    dir: 'read-api',
    description: 'Read API over incidents and the notification log',
    routes: [
      'GET /api/incidents',
      'GET /api/incidents/{id}',
      'GET /api/incidents/{id}/notifications',
      'GET /api/accounts/{id}/notifications',
      'GET /api/broadcasts',
      'GET /api/broadcasts/{id}',
    ],
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  {
    dir: 'load-incident',
    description: 'Loads an incident and its severity policy for the workflow',
    substitution: 'LoadIncidentFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 512,
  },
  {
    dir: 'draft-update',
    description: 'Drafts one update round from the handbook templates',
    substitution: 'DraftUpdateFunctionArn',
    timeoutSeconds: 30,
    memoryMb: 512,
  },
  {
    dir: 'ask-owner',
    description: 'DMs an account owner the draft with buttons and parks the task token',
    substitution: 'AskOwnerFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 512,
  },
  {
    dir: 'deliver-update',
    description: "Sends an approved update to an owner's accounts, exactly once per recipient",
    substitution: 'DeliverUpdateFunctionArn',
    timeoutSeconds: 120,
    memoryMb: 512,
  },
  {
    dir: 'park-for-events',
    description: 'Parks the incident wait token, handing over any event that arrived meanwhile',
    substitution: 'ParkForEventsFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    dir: 'notify-cmoc',
    description: 'Tells the CMOC what needs a person: round summaries, failures, closures',
    substitution: 'NotifyCmocFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    dir: 'ask-cmoc',
    description: "Puts a drafted round in front of the CMOC with 'Approve draft' and parks the review token",
    substitution: 'AskCmocFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    dir: 'tell-owners',
    description: 'Tells the owners and the CMOC that the severity and cadence changed',
    substitution: 'TellOwnersFunctionArn',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  {
    dir: 'hand-over',
    description: "Hands the incident to the next region's CMOC with the state of every account",
    substitution: 'HandOverFunctionArn',
    timeoutSeconds: 20,
    memoryMb: 256,
  },
  {
    dir: 'plan-broadcast',
    description: "Works out a broadcast's audience, splits it into batches, opens its progress message",
    substitution: 'PlanBroadcastFunctionArn',
    timeoutSeconds: 30,
    memoryMb: 512,
  },
  {
    dir: 'send-broadcast-batch',
    description: 'Posts a company broadcast to one batch of customer channels, each channel at most once',
    substitution: 'SendBroadcastBatchFunctionArn',
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  {
    dir: 'finish-broadcast',
    description: 'Settles every channel of a company broadcast and tells the CMOC how it went',
    substitution: 'FinishBroadcastFunctionArn',
    timeoutSeconds: 90,
    memoryMb: 256,
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionDir = (typeof FUNCTIONS)[number]['dir'];

/** Deployed name of a function: the stack prefixes it so two stacks can share an account. */
export function functionName(prefix: string, dir: string): string {
  return `${prefix}-${dir}`;
}

/** State machines: file under statemachines/ and the substitution other machines use for its ARN. */
export const STATE_MACHINES = [
  { file: 'incident.asl.json', name: 'incident', substitution: 'IncidentStateMachineArn' },
  { file: 'update-round.asl.json', name: 'update-round', substitution: 'UpdateRoundStateMachineArn' },
  { file: 'postmortem.asl.json', name: 'postmortem', substitution: 'PostmortemStateMachineArn' },
  { file: 'broadcast.asl.json', name: 'broadcast', substitution: 'BroadcastStateMachineArn' },
] as const;
