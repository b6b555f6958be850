import type { Person, Roster } from '../roster.ts';
import { DID_NOT_SEND } from '../who-is-asked.ts';

/**
 * A pending button action. The Slack message carries only the opaque action id; the task token, who may
 * press and until when stay here (the token never reaches Slack).
 */
export type ActionKind = 'owner-decision' | 'cmoc-decision' | 'recovery';

export interface ActionRecord {
  actionId: string;
  kind: ActionKind;
  taskToken: string;
  incidentId: string;
  round: number;
  ownerId: string;
  /** Roster person ids allowed to press. */
  allowedPersonIds: string[];
  /** Epoch seconds; the TTL attribute too (dynalite does not expire items, so reads check it). */
  expiresAt: number;
  status: 'pending' | 'done';
  dm?: { channel: string; ts: string };
  /** When an owner's ask was posted (wall clock): orders the asks of one owner's round. */
  askedAt?: string;
  /**
   * When the task that asked stops waiting, on the incident's clock (records/incident.ts incidentNow): a
   * press before then whose token is dead met an attempt that failed after asking, not an ask that timed
   * out, and the retried ask hands the press over.
   */
  answerBy?: string;
  /** Why a regional backup covers the owner (their DM says so), to show the DM again once it is closed. */
  coverWhy?: string;
  /** An owner's ask: who is asked when it runs out (its DM's "can't" button says so), for App Home. */
  then?: 'backup' | 'cmoc';
  /**
   * Set when the workflow ended an ask nobody pressed (it timed out, went to the backup or the CMOC, the
   * incident resolved): what the closed DM says, and what a press that comes after is told.
   */
  ended?: { at: string; outcome: string; late: string };
  /** What the press decided ('send', 'sent_myself', 'cant' for owners; the CMOC's own for theirs). */
  decision?: string;
  pressedBy?: string;
  pressedAt?: string;
  /** A recovery ask (Try again / Stop comms): the step that failed and what the CMOC is shown of why. */
  failure?: StepFailure;
}

/** A step that failed past its retries, as the CMOC's DM shows it: no internal codes, nothing secret. */
export interface StepFailure {
  /** The state name, which is the step in words ("Send to the owner's accounts"). */
  step: string;
  /** The error's name (what Step Functions matched on). */
  error: string;
  /** A short, safe message (domain/step-failure.ts). */
  message: string;
}

/** An ask still waiting for its answer: nobody pressed it and the workflow has not ended it. */
export const stillOpen = (a: Pick<ActionRecord, 'status' | 'ended'>): boolean =>
  a.status === 'pending' && !a.ended;

/**
 * This press was counted already: the action is done by the same person at the very moment this press was
 * accepted — the same press delivered again (a front door's follow-up may run twice), not a second press.
 */
export function countedAlready(
  action: Pick<ActionRecord, 'status' | 'pressedBy' | 'pressedAt'>,
  personId: string,
  pressedAt: string,
): boolean {
  return action.status === 'done' && action.pressedBy === personId && action.pressedAt === pressedAt;
}

/** Who an ask went to (the owner, or the backup covering them): the one person allowed to answer it. */
export function askedIn(roster: Roster, action: Pick<ActionRecord, 'allowedPersonIds'>): Person | undefined {
  return roster.people.find((p) => p.id === action.allowedPersonIds[0]);
}

/** Why the person an ask went to covers its owner, as their DM says it (asks older than the field fall back). */
export const coverWhyOf = (action: ActionRecord): string => action.coverWhy ?? DID_NOT_SEND;
