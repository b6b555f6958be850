/**
 * What each function may touch, in one table. CDK cannot see inside a handler, so this is where its
 * least-privilege grants are decided; `satisfies Record<FunctionName, …>` makes a new entry in
 * lambdas/contract/functions.ts a type error until it is listed here.
 */
import type { FunctionName, SecretGroup, STATE_MACHINES } from '../lambdas/contract/functions.ts';

export type MachineName = (typeof STATE_MACHINES)[number]['name'];

export interface FunctionAccess {
  /**
   * The most it may do to the table: what it is granted is what its code calls (lib/code-calls.ts), and a
   * reader is never granted a write, even when a module it imports also holds one.
   */
  readonly table: 'read' | 'readWrite';
  /** Secrets it may read; each arrives as `<GROUP>_SECRET_ARN`. */
  readonly secrets: readonly SecretGroup[];
  /**
   * State machines it starts: StartExecution on each, whose ARN arrives in the machine's variable
   * (lib/function-env.ts: `STATE_MACHINE_ARN` for the incident machine, `<NAME>_STATE_MACHINE_ARN` else).
   */
  readonly startsMachines?: readonly MachineName[];
  /** Machines whose executions it looks up (DescribeExecution): is an incident's execution still running? */
  readonly describesExecutions?: readonly MachineName[];
  /**
   * The task tokens it completes (SendTaskSuccess), by kind: on the machines whose callback tasks invoke
   * that kind's issuers (TOKEN_ISSUERS), read from the ASL files.
   */
  readonly completesTasks?: readonly TokenKind[];
  /** Sends customer email through SES. */
  readonly sendsEmail?: true;
}

/**
 * Where task tokens come from: the functions a callback task (`.waitForTaskToken`) invokes, which store
 * the token for someone else to complete. `wait`: the incident's parked wait, completed by whoever hands
 * it an event (adapters/incident-events.ts); `ask`: a pending button (an owner's ask, the CMOC's review,
 * Try again / Stop comms), completed by the press or by the ask itself when nobody can be asked.
 */
export const TOKEN_ISSUERS = {
  wait: ['park-for-events'],
  ask: ['ask-owner', 'ask-cmoc', 'ask-try-again'],
} as const satisfies Record<string, readonly FunctionName[]>;
export type TokenKind = keyof typeof TOKEN_ISSUERS;

export const ACCESS = {
  // Starts an execution on incident.triggered, hands later events to the parked wait; a reopened incident
  // whose execution has finished gets a new one.
  'pagerduty-webhook': {
    table: 'readWrite',
    secrets: ['PAGERDUTY'],
    startsMachines: ['incident'],
    describesExecutions: ['incident'],
    completesTasks: ['wait'],
  },
  // A button press completes the task it stands for and updates the message. A correction's submission
  // edits the customers' Slack posts and sends email and SMS recipients the correction.
  'slack-interactions': {
    table: 'readWrite',
    secrets: ['SLACK', 'TWILIO'],
    sendsEmail: true,
    completesTasks: ['wait', 'ask'],
  },
  // Events API: records who opened App Home (and the event's dedup claim) and publishes their view.
  'slack-events': { table: 'readWrite', secrets: ['SLACK'] },
  // `/comms declare` starts an incident, `/comms broadcast` a company broadcast; update/resolve hand an
  // event to the parked wait.
  'slack-commands': {
    table: 'readWrite',
    secrets: ['SLACK'],
    startsMachines: ['incident', 'broadcast'],
    completesTasks: ['wait'],
  },
  // Verifies the callback with the Twilio auth token; writes the receipt on the SMS's log item.
  // Tells the CMOC when a carrier reports a text undelivered.
  'twilio-status': { table: 'readWrite', secrets: ['TWILIO', 'SLACK'] },
  'read-api': { table: 'read', secrets: [] },
  // Marks the event the workflow has just read as consumed.
  'load-incident': { table: 'readWrite', secrets: [] },
  // A level with broadcastAtStart opens with a company broadcast (services/broadcast-at-start.ts).
  'draft-update': { table: 'readWrite', secrets: [], startsMachines: ['broadcast'] },
  // Stores the pending button (token, who may press it) and DMs the owner or backup; completes its own
  // task when there is nobody to ask.
  'ask-owner': { table: 'readWrite', secrets: ['SLACK'], completesTasks: ['ask'] },
  'deliver-update': { table: 'readWrite', secrets: ['SLACK', 'TWILIO'], sendsEmail: true },
  // Stores the wait token; if an event is already queued it completes its own task at once.
  'park-for-events': { table: 'readWrite', secrets: [], completesTasks: ['wait'] },
  // Stores the CMOC's buttons (confirm impact, send an update now) with the notice.
  'notify-cmoc': { table: 'readWrite', secrets: ['SLACK'] },
  // Stores the review button (token, the CMOC) and DMs the draft.
  'ask-cmoc': { table: 'readWrite', secrets: ['SLACK'] },
  // Stores the Try again / Stop comms buttons and DMs the CMOC; a stop records it on the incident and
  // completes the tasks still waiting in the round (asks left unsent, other failed steps stopped too).
  'ask-try-again': { table: 'readWrite', secrets: ['SLACK'], completesTasks: ['ask'] },
  // Records each DM it posts (services/dm-once.ts), so a retried step tells nobody twice.
  'tell-owners': { table: 'readWrite', secrets: ['SLACK'] },
  // Records the new CMOC on the incident.
  'hand-over': { table: 'readWrite', secrets: ['SLACK'] },
  // Company broadcast: fixes the audience and opens the progress message; posts one batch as the company
  // (the log claims are its writes); settles the channels and tells the CMOC.
  'plan-broadcast': { table: 'readWrite', secrets: ['SLACK'] },
  'send-broadcast-batch': { table: 'readWrite', secrets: ['SLACK'] },
  'finish-broadcast': { table: 'readWrite', secrets: ['SLACK'] },
} as const satisfies Record<FunctionName, FunctionAccess>;
