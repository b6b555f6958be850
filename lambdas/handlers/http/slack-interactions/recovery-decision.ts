import { getAction, isActionId } from '../../../adapters/actions.ts';
import { findIncident } from '../../../adapters/incidents.ts';
import type { RecoveryAnswer, RecoveryDecision } from '../../../contract/payloads.ts';
import { personName } from '../../../domain/roster.ts';
import { PRESS_REFUSED } from '../../../messages/ask-outcome.ts';
import {
  RECOVERY_BUTTONS,
  RECOVERY_REFUSED,
  stoppedOutcome,
  triedAgainOutcome,
} from '../../../messages/step-failure.ts';
import type { BlockActionHandler } from './dispatch.ts';
import { settle } from './press.ts';
import { showFailureAnswered } from '../../../services/failure-dm.ts';

const DECISIONS: Record<string, RecoveryDecision> = {
  [RECOVERY_BUTTONS.retry]: 'retry',
  [RECOVERY_BUTTONS.stop]: 'stop',
};

/**
 * **Try again** / **Stop comms** on a step that failed past its retries ("recovery:…"). Only the incident's
 * CMOC (as it is now, after any handoff) may press; one press counts; it completes the task the failed
 * step's execution waits on (Try again goes back to that step, Stop comms ends the comms), and the DM
 * shows who decided what. A press that comes too late, or a second one, is told so and changes nothing.
 */
export const recoveryButton: BlockActionHandler = async (ctx, pressed, payload) => {
  const decision = DECISIONS[pressed.action_id];
  const actionId = pressed.value;
  if (!decision || !isActionId(actionId)) return { tell: PRESS_REFUSED.noLongerValid };
  const action = await getAction(actionId);
  if (!action || action.kind !== 'recovery' || !action.failure) return { tell: PRESS_REFUSED.noLongerValid };
  const incident = await findIncident(action.incidentId);
  if (!incident) return { tell: PRESS_REFUSED.noLongerValid };
  const roster = await ctx.roster();
  const presser = roster.people.find((p) => p.slackUserId === ctx.slackUserId);
  if (!presser || presser.id !== incident.cmocId)
    return { tell: RECOVERY_REFUSED.notCmoc(personName(roster, incident.cmocId)) };
  if (incident.commsStopped)
    return {
      tell: RECOVERY_REFUSED.stopped(personName(roster, incident.commsStopped.by), incident.commsStopped.at),
    };
  if (action.status === 'done' && action.pressedBy !== presser.id) return { tell: RECOVERY_REFUSED.notWaiting };
  const output: RecoveryAnswer = { decision, by: presser.id };
  const settled = await settle({ roster, action, presser, decision, output, now: ctx.now });
  // Gone (answered, or the round it waited in ended): the step is not waiting for anyone any more.
  if (!settled.ok) return { tell: RECOVERY_REFUSED.notWaiting };

  const dm =
    action.dm ??
    (payload.container?.channel_id && payload.container.message_ts
      ? { channel: payload.container.channel_id, ts: payload.container.message_ts }
      : undefined);
  const outcome =
    decision === 'stop'
      ? stoppedOutcome(presser.name, settled.pressedAt)
      : triedAgainOutcome(presser.name, settled.pressedAt);
  await showFailureAnswered(await ctx.web(), { incident, roster, action }, outcome, dm);
  return {};
};
