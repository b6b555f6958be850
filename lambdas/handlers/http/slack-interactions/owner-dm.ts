import type { WebClient } from '@slack/web-api';
import type { ActionRecord } from '../../../domain/records/action.ts';
import { logger } from '../../../adapters/logger.ts';
import { updateDm } from '../../../adapters/slack.ts';
import { decidedDm, withOutcome } from '../../../messages/ask-outcome.ts';
import { withCorrectButton, type CorrectionTarget } from '../../../messages/correct-modal.ts';
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
  /** The update the presser sent: the DM then offers to correct it. */
  sent?: CorrectionTarget,
): Promise<void> {
  // A press can come before the ask recorded where its DM is (it posts first, records after): the pressed
  // message itself is that DM, and Slack says where it is.
  const pressedAt = payload && {
    channel: payload.container?.channel_id ?? payload.channel?.id,
    ts: payload.container?.message_ts ?? payload.message?.ts,
  };
  const dm =
    action.dm ??
    (pressedAt?.channel && pressedAt.ts ? { channel: pressedAt.channel, ts: pressedAt.ts } : undefined);
  if (!dm) return;
  const shown = payload?.message?.ts === dm.ts ? payload.message.blocks : undefined;
  const decided = shown
    ? withOutcome(
        {
          text: payload?.message?.text ?? 'Decision recorded',
          // The buttons and the "answer by" line are spent; the draft and the accounts stay.
          blocks: shown.filter((block) => !['actions', 'context'].includes(block.type)),
        },
        outcome,
      )
    : decidedDm({ text: summary }, outcome);
  const message = sent ? withCorrectButton(decided, sent) : decided;
  await updateDm(web, dm, message).catch((error: unknown) =>
    logger.warn('could not update the owner DM', { error }),
  );
}
