import type { WebClient } from '@slack/web-api';
import type { ActionRecord } from '../adapters/actions.ts';
import { logger } from '../adapters/logger.ts';
import { decidedDm } from '../ask-owner/message.ts';
import type { BlockActions } from './payload.ts';

/**
 * Turns the DM into a record of what happened: the same draft and accounts, the buttons replaced by who
 * did what and when, so nobody presses a button that would now only say "already handled".
 */
export async function showDecision(
  web: WebClient,
  action: ActionRecord,
  outcome: string,
  payload?: BlockActions,
  /** Shown above the outcome when the pressed message's own blocks are not at hand (a modal submission). */
  summary = '*Decision recorded.*',
): Promise<void> {
  if (!action.dm) return;
  const shown = payload?.message?.ts === action.dm.ts ? payload.message.blocks : undefined;
  const message = shown
    ? {
        text: `${payload?.message?.text ?? 'Decision recorded'} — ${outcome}`,
        blocks: [
          // The buttons and the "answer by" line are spent; the draft and the accounts stay.
          ...shown.filter(
            (block) => !['actions', 'context'].includes(String((block as { type?: unknown }).type)),
          ),
          { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] },
        ],
      }
    : decidedDm({ text: summary }, outcome);
  await web.chat
    .update({
      channel: action.dm.channel,
      ts: action.dm.ts,
      text: message.text,
      blocks: message.blocks as never,
    })
    .catch((error: unknown) => logger.warn('could not update the owner DM', { error }));
}
