import { OWNER_BUTTONS } from '../../../messages/ask-to-send.ts';
import { refreshHomes } from '../../../services/app-home.ts';
import { pressedOutcome } from '../../../messages/ask-outcome.ts';
import type { OwnerAnswer, OwnerDecision } from '../../../contract/payloads.ts';
import type { BlockActionHandler } from './dispatch.ts';
import { openEditModal } from './edit-modal.ts';
import { showDecision } from './owner-dm.ts';
import { authorise, settle } from './press.ts';
import { leaveUnsent, resolvedSince, roundOf } from './stale.ts';

const DECISIONS: Record<string, { decision: OwnerDecision; label: string }> = {
  [OWNER_BUTTONS.send]: { decision: 'send', label: 'sent it to their accounts' },
  [OWNER_BUTTONS.sentMyself]: { decision: 'sent_myself', label: 'sent it themselves' },
  [OWNER_BUTTONS.cant]: { decision: 'cant', label: 'handed it on' },
};

/** The owner's DM buttons ("owner:…"): a decision completes the ask-owner task; "Edit" opens the modal. */
export const ownerButton: BlockActionHandler = async (ctx, pressed, payload) => {
  if (pressed.action_id === OWNER_BUTTONS.edit) return openEditModal(ctx, pressed, payload);
  const choice = Object.hasOwn(DECISIONS, pressed.action_id) ? DECISIONS[pressed.action_id] : undefined;
  if (!choice) return {};
  const roster = await ctx.roster();
  const allowed = await authorise(ctx, 'owner-decision', pressed.value);
  if (!allowed.ok) return { tell: allowed.tell };
  const { action, presser } = allowed;
  if (choice.decision === 'send') {
    const { incident, round } = await roundOf(action);
    const resolvedAt = resolvedSince(incident, round);
    if (resolvedAt) {
      const left = await leaveUnsent({ ctx, roster, action, presser, resolvedAt, payload });
      return left.ok ? {} : { tell: left.tell };
    }
  }
  const answer: OwnerAnswer = { decision: choice.decision, senderId: presser.id };
  const settled = await settle({
    roster,
    action,
    presser,
    decision: choice.decision,
    output: answer,
    now: ctx.now,
  });
  if (!settled.ok) return { tell: settled.tell };
  await showDecision(
    await ctx.web(),
    action,
    pressedOutcome(presser, choice.label, settled.pressedAt),
    payload,
    undefined,
    choice.decision === 'send'
      ? { incidentId: action.incidentId, round: action.round, senderId: presser.id }
      : undefined,
  );
  // Answered: it no longer waits on the Home of whoever has it open.
  await refreshHomes(action.incidentId);
  return {};
};
