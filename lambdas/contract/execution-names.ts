import { createHash } from 'node:crypto';

/**
 * Step Functions execution names: 1–80 chars of 0-9A-Za-z-_ (docs/architecture.md, "Facts that bite"),
 * each one saying in the console's list which incident it belongs to.
 */
export const MAX_EXECUTION_NAME = 80;

/**
 * What the state machine appends to a round's name on each start: `-` and 8 hex characters
 * (statemachines/incident.asl.json, "Send the … update"). A round started again (a retry of the start, the
 * CMOC's Try again) after its earlier execution ended needs a name of its own — an ended execution's name
 * is `ExecutionAlreadyExists` for good — and it is still the same round, keyed by `roundKey`.
 */
export const ROUND_ATTEMPT_SUFFIX = 9;

const sanitize = (text: string): string => text.replace(/[^0-9A-Za-z_-]/g, '_');

/** One incident, one name. Unchanged since the first release: a redelivered declare must find it again. */
export function executionNameFor(incidentId: string): string {
  return `incident-${sanitize(incidentId)}`.slice(0, MAX_EXECUTION_NAME);
}

/**
 * `<parent>-<what>` within `budget` characters: the parent's name is cut, and marked with a short hash of
 * it so two long names that share a beginning still differ, only when the whole would not fit.
 */
function childOf(parent: string, what: string, budget: number): string {
  const clean = sanitize(parent);
  const whole = `${clean}-${what}`;
  if (whole.length <= budget) return whole;
  const hash = createHash('sha256').update(parent).digest('hex').slice(0, 8);
  return `${clean.slice(0, budget - what.length - hash.length - 2)}-${hash}-${what}`;
}

/** The names of the executions an incident execution starts (NextStep.names, contract/payloads.ts). */
export interface ChildNames {
  /** `<incident execution>-round-<n>`, without the per-start suffix the state machine appends. */
  round: string;
  /** `<incident execution>-write-up`: started once; a name that exists is the follow-up already started. */
  writeUp: string;
}

/**
 * Named after the incident's execution (`incident-<id>`, or `incident-<id>-r<n>` once reopened), so a
 * reopened incident's rounds and write-up never meet the names its first execution used.
 */
export function childExecutionNames(incidentExecutionName: string, nextRound: number): ChildNames {
  return {
    round: childOf(incidentExecutionName, `round-${nextRound}`, MAX_EXECUTION_NAME - ROUND_ATTEMPT_SUFFIX),
    writeUp: childOf(incidentExecutionName, 'write-up', MAX_EXECUTION_NAME),
  };
}

/** A company broadcast's execution: its id says it is one (`b-<hash>`); the prefix keeps running ones found. */
export function broadcastExecutionName(broadcastId: string): string {
  return `broadcast-${sanitize(broadcastId)}`.slice(0, MAX_EXECUTION_NAME);
}
