import { SendTaskSuccessCommand, TaskTimedOut, InvalidToken, TaskDoesNotExist } from '@aws-sdk/client-sfn';
import type { WebClient } from '@slack/web-api';
import type { Roster } from '../core/roster.ts';
import { completeAction, getAction, reopenAction, type ActionRecord } from '../adapters/actions.ts';
import { sfn } from '../adapters/stepfunctions.ts';
import { logger } from '../adapters/logger.ts';
import { OWNER_BUTTONS, decidedDm } from '../ask-owner/message.ts';
import type { OwnerAnswer, OwnerDecision } from '../payloads.ts';

const DECISIONS: Record<string, { decision: OwnerDecision; label: string }> = {
  [OWNER_BUTTONS.send]: { decision: 'send', label: 'sent it to their accounts' },
  [OWNER_BUTTONS.sentMyself]: { decision: 'sent_myself', label: 'sent it themselves' },
  [OWNER_BUTTONS.cant]: { decision: 'cant', label: 'handed it on' },
};

export function isOwnerButton(actionId: string): boolean {
  return actionId in DECISIONS;
}

/** What the presser is told (ephemeral) when the press changes nothing; undefined when it worked. */
export type PressResult = { ok: true; outcome: string } | { ok: false; tell: string };

function clock(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

export async function pressOwnerButton(input: {
  web: WebClient;
  roster: Roster;
  buttonActionId: string;
  actionId: string;
  slackUserId: string;
  now: Date;
}): Promise<PressResult> {
  const choice = DECISIONS[input.buttonActionId];
  const action = await getAction(input.actionId);
  if (!choice || !action) return { ok: false, tell: 'This button is no longer valid.' };
  const nameOf = (personId: string) => input.roster.people.find((p) => p.id === personId)?.name ?? personId;
  if (action.status === 'done') return { ok: false, tell: alreadyDone(action, nameOf) };
  if (action.expiresAt * 1000 < input.now.getTime()) {
    return { ok: false, tell: 'This request has expired; the CMOC has taken it over.' };
  }
  const presser = input.roster.people.find((p) => p.slackUserId === input.slackUserId);
  if (!presser || !action.allowedPersonIds.includes(presser.id)) {
    return { ok: false, tell: `This is assigned to ${action.allowedPersonIds.map(nameOf).join(' or ')}.` };
  }
  const pressedAt = input.now.toISOString();
  if (
    !(await completeAction(action.actionId, { decision: choice.decision, pressedBy: presser.id, pressedAt }))
  ) {
    const again = await getAction(action.actionId);
    return { ok: false, tell: again ? alreadyDone(again, nameOf) : 'This button is no longer valid.' };
  }
  const answer: OwnerAnswer = { decision: choice.decision, senderId: presser.id };
  try {
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: action.taskToken, output: JSON.stringify(answer) }),
    );
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist) {
      await reopenAction(action.actionId);
      return { ok: false, tell: 'Too late: this request already timed out and the CMOC has taken it over.' };
    }
    await reopenAction(action.actionId);
    throw error;
  }
  const outcome = `✅ ${presser.name} ${choice.label} at ${clock(pressedAt)}.`;
  if (action.dm) {
    // The DM must not offer buttons that would now only say "already handled".
    const message = decidedDm({ text: `*Decision recorded.*` }, outcome);
    await input.web.chat
      .update({
        channel: action.dm.channel,
        ts: action.dm.ts,
        text: message.text,
        blocks: message.blocks as never,
      })
      .catch((error: unknown) => logger.warn('could not update the owner DM', { error }));
  }
  return { ok: true, outcome };
}

function alreadyDone(action: ActionRecord, nameOf: (id: string) => string): string {
  const who = action.pressedBy ? nameOf(action.pressedBy) : 'someone';
  const when = action.pressedAt ? ` at ${clock(action.pressedAt)}` : '';
  return `Already handled: ${who} chose "${action.decision ?? 'a response'}"${when}.`;
}
