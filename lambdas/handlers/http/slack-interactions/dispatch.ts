import type { WebClient } from '@slack/web-api';
import type { Roster } from '../../../domain/roster.ts';
import type { BlockActions, PressedAction, ViewSubmission } from './payload.ts';

/**
 * What every interaction handler gets. Slack wants the HTTP answer within 3 s, so the roster and the Web
 * API client are fetched once per request and only when a handler asks for them.
 */
export interface InteractionContext {
  web: () => Promise<WebClient>;
  roster: () => Promise<Roster>;
  now: Date;
  /** The Slack user who clicked or submitted. */
  slackUserId: string;
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

export type ViewSubmissionHandler = (ctx: InteractionContext, payload: ViewSubmission) => Promise<ViewReply>;

/** The handler for an action_id or callback_id: the longest registered prefix that matches it. */
export function route<H>(table: Readonly<Record<string, H>>, id: string): H | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(table)) {
    if (id.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : table[best];
}
