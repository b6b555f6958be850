import type { ContextBlock } from '@slack/types';
import { formatClock } from '../domain/index.ts';
import { personName, type Person, type RegionId, type Roster } from '../domain/roster.ts';
import type { ActionRecord } from '../domain/records/action.ts';
import type { ShownMessage, SlackMessage } from './slack-message.ts';

/**
 * What an ask's DM turns into once it is decided or has ended, and what a press that changed nothing is
 * told. The DM keeps the draft and the accounts; the buttons and the deadline give way to one outcome line.
 */

/**
 * How an ask nobody pressed came to an end, as the workflow knows it: every step that moves an owner's
 * round on (the backup's ask, the delivery, the CMOC's alert, a press on the backup's DM) says which.
 */
export type AskEnding =
  /** The owner's time ran out (or they were unavailable) and a regional backup was asked. */
  | { kind: 'backup'; backup: Person }
  /** The owner's time ran out and no regional backup is working now: the CMOC's fallback follows. */
  | { kind: 'no_backup' }
  /** Nobody sent it in time: it went out as the company, signed by the CMOC. */
  | { kind: 'company'; cmoc: Person }
  /** Nobody sent it in time: the CMOC was alerted to send it or assign someone. */
  | { kind: 'cmoc'; cmoc: Person }
  /** Someone else (the backup, mostly) sent it, or said they had sent it by hand. */
  | { kind: 'sent'; sender: Person; byHand: boolean }
  /** The incident resolved: this update is out of date and the resolution goes out instead. */
  | { kind: 'resolved'; resolvedAt: string }
  /** The CMOC stopped the incident's comms after a step kept failing: nothing more goes out. */
  | { kind: 'stopped'; cmoc: Person; at: string };

const REGION_LABEL: Record<RegionId, string> = { americas: 'Americas', emea: 'EMEA', apac: 'APAC' };

const clock = (iso: string) => formatClock(new Date(iso), 'UTC');

/** What the closed DM says, and what a press on it afterwards is told (both name who has it now). */
export function describeEnding(ending: AskEnding): { outcome: string; late: string } {
  switch (ending.kind) {
    case 'backup': {
      const who = `${ending.backup.name} (${REGION_LABEL[ending.backup.region]} backup)`;
      return {
        outcome: `⏱ Time's up — ${who} has been asked to send it.`,
        late: `Too late: this request timed out and ${who} has been asked to send it. Nothing changed.`,
      };
    }
    case 'no_backup':
      return {
        outcome: "⏱ Time's up — no regional backup is working now, so it has gone to the CMOC.",
        late: 'Too late: this request timed out and, with no regional backup working now, it has gone to the CMOC. Nothing changed.',
      };
    case 'company':
      return {
        outcome: `⏱ Time's up — it was sent as the company, signed by ${ending.cmoc.name} (CMOC).`,
        late: `Too late: this request timed out and it was sent as the company, signed by ${ending.cmoc.name} (CMOC). Nothing changed.`,
      };
    case 'cmoc':
      return {
        outcome: `⏱ Time's up — ${ending.cmoc.name} (CMOC) has been asked to send it or assign someone.`,
        late: `Too late: this request timed out and ${ending.cmoc.name} (CMOC) has taken it over. Nothing changed.`,
      };
    case 'sent': {
      const what = ending.byHand ? 'sent it themselves' : 'sent it to the accounts';
      return {
        outcome: `✅ ${ending.sender.name} ${what}.`,
        late: `Too late: ${ending.sender.name} ${what}. Nothing changed.`,
      };
    }
    case 'resolved':
      return {
        outcome: `⏹ No longer needed: the incident was resolved at ${clock(ending.resolvedAt)}. Customers get the resolution update instead.`,
        late: `Too late: the incident was resolved at ${clock(ending.resolvedAt)}, so this update is no longer needed. Nothing changed.`,
      };
    case 'stopped':
      return {
        outcome: `⏹ Not needed any more: ${ending.cmoc.name} (CMOC) stopped this incident's comms at ${clock(ending.at)}.`,
        late: `Too late: ${ending.cmoc.name} (CMOC) stopped this incident's comms at ${clock(ending.at)}. Nothing changed.`,
      };
  }
}

/** The DM as it was shown (its spent controls already taken out), with how it ended underneath. */
export function withOutcome(shown: SlackMessage, outcome: string): SlackMessage;
export function withOutcome(shown: ShownMessage, outcome: string): ShownMessage;
export function withOutcome(shown: ShownMessage, outcome: string): ShownMessage {
  const line: ContextBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] };
  return { text: `${shown.text} — ${outcome}`, blocks: [...shown.blocks, line] };
}

/** What the DM turns into after a press: the decision, who made it and when, no buttons left to press. */
export function decidedDm(original: { text: string }, outcome: string): SlackMessage {
  const decided: SlackMessage = {
    text: original.text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: original.text } }],
  };
  return withOutcome(decided, outcome);
}

/** "✅ Ada Lovelace sent it to their accounts at 14:05 UTC." */
export const pressedOutcome = (presser: Person, did: string, pressedAt: string): string =>
  `✅ ${presser.name} ${did} at ${clock(pressedAt)}.`;

/** "Send" pressed on an update the resolution overtook: nothing went out. */
export const leftUnsentOutcome = (resolvedAt: string): string =>
  `⏹ Not sent: the incident was resolved at ${clock(resolvedAt)}, so this update is out of date. Customers get the resolution update instead.`;

/** What a press that changed nothing is told, besides the ask's own ending (`describeEnding(…).late`). */
export const PRESS_REFUSED = {
  noLongerValid: 'This button is no longer valid.',
  expired: 'This request has expired and the CMOC has taken it over; nothing changed.',
  tooLate: 'Too late: this request already timed out and the CMOC has taken it over. Nothing changed.',
  /** Timed out, and nothing yet says whether a backup or the CMOC has it. */
  movedOn:
    'Too late: this request already timed out and has gone to the regional backup or the CMOC. Nothing changed.',
} as const;

/** A press by someone the ask is not for. */
export function notYours(roster: Roster, allowedPersonIds: string[]): string {
  const names = allowedPersonIds.map((id) => personName(roster, id)).join(' or ');
  return `This is assigned to ${names}; your press changed nothing.`;
}

/** A second press: who chose what, and when. */
export function alreadyDone(roster: Roster, action: ActionRecord): string {
  const who = personName(roster, action.pressedBy);
  const when = action.pressedAt ? ` at ${clock(action.pressedAt)}` : '';
  return `Already handled: ${who} chose "${action.decision ?? 'a response'}"${when}. Nothing changed.`;
}
