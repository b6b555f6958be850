/**
 * What each function may touch, in one table. CDK cannot see inside a handler, so this is where its
 * least-privilege grants are decided; `satisfies Record<FunctionDir, …>` makes a new entry in
 * lambdas/functions.ts a type error until it is listed here.
 */
import type { FunctionDir } from '../lambdas/functions.ts';

export type SecretGroup = 'SLACK' | 'PAGERDUTY' | 'TWILIO';

export interface FunctionAccess {
  readonly table: 'read' | 'readWrite';
  /** Secrets it may read; each arrives as `<GROUP>_SECRET_ARN`. */
  readonly secrets: readonly SecretGroup[];
  /** Starts incident executions (StartExecution + DescribeExecution on the incident machine). */
  readonly startsIncidents?: true;
  /** Completes parked tasks (SendTaskSuccess/Failure/Heartbeat on every machine). */
  readonly completesTasks?: true;
  /** Sends customer email through SES. */
  readonly sendsEmail?: true;
}

export const ACCESS = {
  // Starts an execution on incident.triggered, hands later events to the parked wait.
  'pagerduty-webhook': {
    table: 'readWrite',
    secrets: ['PAGERDUTY'],
    startsIncidents: true,
    completesTasks: true,
  },
  // A button press completes the task it stands for and updates the message.
  'slack-interactions': { table: 'readWrite', secrets: ['SLACK'], completesTasks: true },
  // `/comms declare` starts an incident; update/resolve hand an event to the parked wait.
  'slack-commands': { table: 'readWrite', secrets: ['SLACK'], startsIncidents: true, completesTasks: true },
  'read-api': { table: 'read', secrets: [] },
  // Marks the event the workflow has just read as consumed.
  'load-incident': { table: 'readWrite', secrets: [] },
  'draft-update': { table: 'readWrite', secrets: [] },
  // Stores the pending button (token, who may press it) and DMs the owner.
  'ask-owner': { table: 'readWrite', secrets: ['SLACK'] },
  'deliver-update': { table: 'readWrite', secrets: ['SLACK', 'TWILIO'], sendsEmail: true },
  // Stores the wait token; if an event is already queued it completes its own task at once.
  'park-for-events': { table: 'readWrite', secrets: [], completesTasks: true },
  'notify-cmoc': { table: 'read', secrets: ['SLACK'] },
} as const satisfies Record<FunctionDir, FunctionAccess>;

export function accessOf(dir: FunctionDir): FunctionAccess {
  return ACCESS[dir];
}
