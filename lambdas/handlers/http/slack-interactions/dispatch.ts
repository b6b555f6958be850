import type { WebClient } from '@slack/web-api';
import type { Roster } from '../../../domain/roster.ts';
import type { BlockActions, PressedAction, ViewSubmission } from './payload.ts';

/**
 * What every interaction handler gets. The roster and the Web API client are fetched once per run and only
 * when a handler asks for them.
 */
export interface InteractionContext {
  web: () => Promise<WebClient>;
  roster: () => Promise<Roster>;
  /** When Slack's request was accepted: a press counts from then, however late its follow-up runs. */
  now: Date;
  /** The Slack user who clicked or submitted. */
  slackUserId: string;
  /**
   * This interaction's id, the same on every delivery of its follow-up: what it signals carries it, so a
   * repeated delivery signals the same event.
   */
  id: string;
}

/**
 * The answer to a button press or select. `tell` is said to the presser alone (ephemeral) — the reason a
 * press changed nothing; undefined when it worked (the message itself then shows what happened).
 */
export interface ActionReply {
  tell?: string;
}

export type BlockActionHandler = (
  ctx: InteractionContext,
  action: PressedAction,
  payload: BlockActions,
) => Promise<ActionReply>;

/**
 * The answer to a modal submission: undefined closes the modal; `errors` keeps it open and shows a message
 * under each named input block (Slack's `response_action: "errors"`).
 */
export type ViewReply = undefined | { errors: Record<string, string> };

/**
 * A modal submission in two halves (docs/architecture.md, "Answer first, then finish"): `check` runs while
 * Slack waits — reads only, no Slack or Step Functions call — and answers what keeps the modal open;
 * `finish` runs after the answer, in the follow-up, when `check` let the modal close, and says to the
 * person alone (`tell`) whatever stopped it there.
 */
export interface ViewSubmissionHandler {
  check: (ctx: InteractionContext, payload: ViewSubmission) => Promise<ViewReply>;
  finish: (ctx: InteractionContext, payload: ViewSubmission) => Promise<ActionReply>;
}

/** The handler for an action_id or callback_id: the longest registered prefix that matches it. */
export function route<H>(table: Readonly<Record<string, H>>, id: string): H | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(table)) {
    if (id.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : table[best];
}
