/**
 * What each function may touch, in one table. CDK cannot see inside a handler, so this is where its
 * least-privilege grants are decided; `satisfies Record<FunctionName, …>` makes a new entry in
 * lambdas/contract/functions.ts a type error until it is listed here.
 */
import type { FunctionName, SecretGroup, STATE_MACHINES } from '../lambdas/contract/functions.ts';

export type MachineName = (typeof STATE_MACHINES)[number]['name'];

export interface FunctionAccess {
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
  /** Completes parked tasks (SendTaskSuccess/Failure/Heartbeat on every machine that issues task tokens). */
  readonly completesTasks?: true;
  /** Sends customer email through SES. */
  readonly sendsEmail?: true;
}

export const ACCESS = {
  // Starts an execution on incident.triggered, hands later events to the parked wait; a reopened incident
  // whose execution has finished gets a new one.
  'pagerduty-webhook': {
    table: 'readWrite',
    secrets: ['PAGERDUTY'],
    startsMachines: ['incident'],
    describesExecutions: ['incident'],
    completesTasks: true,
  },
  // A button press completes the task it stands for and updates the message.
  'slack-interactions': { table: 'readWrite', secrets: ['SLACK'], completesTasks: true },
  // `/comms declare` starts an incident, `/comms broadcast` a company broadcast; update/resolve hand an
  // event to the parked wait.
  'slack-commands': {
    table: 'readWrite',
    secrets: ['SLACK'],
    startsMachines: ['incident', 'broadcast'],
    completesTasks: true,
  },
  // Verifies the callback with the Twilio auth token; writes the receipt on the SMS's log item.
  // Tells the CMOC when a carrier reports a text undelivered.
  'twilio-status': { table: 'readWrite', secrets: ['TWILIO', 'SLACK'] },
  'read-api': { table: 'read', secrets: [] },
  // Marks the event the workflow has just read as consumed.
  'load-incident': { table: 'readWrite', secrets: [] },
  'draft-update': { table: 'readWrite', secrets: [] },
  // Stores the pending button (token, who may press it) and DMs the owner or backup; completes its own
  // task when there is nobody to ask.
  'ask-owner': { table: 'readWrite', secrets: ['SLACK'], completesTasks: true },
  'deliver-update': { table: 'readWrite', secrets: ['SLACK', 'TWILIO'], sendsEmail: true },
  // Stores the wait token; if an event is already queued it completes its own task at once.
  'park-for-events': { table: 'readWrite', secrets: [], completesTasks: true },
  // Stores the CMOC's buttons (confirm impact, send an update now) with the notice.
  'notify-cmoc': { table: 'readWrite', secrets: ['SLACK'] },
  // Stores the review button (token, the CMOC) and DMs the draft.
  'ask-cmoc': { table: 'readWrite', secrets: ['SLACK'] },
  // Stores the Try again / Stop comms buttons and DMs the CMOC; a stop records it on the incident and
  // completes the tasks still waiting in the round (asks left unsent, other failed steps stopped too).
  'ask-try-again': { table: 'readWrite', secrets: ['SLACK'], completesTasks: true },
  'tell-owners': { table: 'read', secrets: ['SLACK'] },
  // Records the new CMOC on the incident.
  'hand-over': { table: 'readWrite', secrets: ['SLACK'] },
  // Company broadcast: fixes the audience and opens the progress message; posts one batch as the company
  // (the log claims are its writes); settles the channels and tells the CMOC.
  'plan-broadcast': { table: 'readWrite', secrets: ['SLACK'] },
  'send-broadcast-batch': { table: 'readWrite', secrets: ['SLACK'] },
  'finish-broadcast': { table: 'readWrite', secrets: ['SLACK'] },
} as const satisfies Record<FunctionName, FunctionAccess>;
