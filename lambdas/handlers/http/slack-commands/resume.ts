import { recoveriesOf } from '../../../adapters/actions.ts';
import { postDm } from '../../../adapters/slack.ts';
import { personById, personName } from '../../../domain/roster.ts';
import { failureDm, RESUME_REPLIES } from '../../../messages/step-failure.ts';
import type { Subcommand } from './context.ts';
import { whichIncident } from './which.ts';

/**
 * `/comms resume [id]`: a step of the incident's comms failed past its retries and waits for the CMOC.
 * Its DM — the step, the error, **Try again** and **Stop comms** — is posted to the CMOC again (the same
 * buttons: a press on either DM counts once). Says so plainly when nothing waits.
 */
export const resume: Subcommand = async (ctx, text) => {
  const which = await whichIncident(ctx, text, 'status');
  if (!which.ok) return which.reply;
  const { incident } = which;
  if (incident.commsStopped) {
    const { by, at } = incident.commsStopped;
    return RESUME_REPLIES.stopped(incident.incidentId, personName(ctx.roster, by), at);
  }
  const waiting = (await recoveriesOf(incident.incidentId)).filter(
    (action) => action.status === 'pending' && action.failure,
  );
  if (waiting.length === 0) return RESUME_REPLIES.nothing(incident.incidentId);
  const cmoc = personById(ctx.roster, incident.cmocId);
  for (const action of waiting) {
    if (!action.failure) continue;
    const message = failureDm({
      incident,
      failure: action.failure,
      actionId: action.actionId,
      ...(action.round ? { round: action.round } : {}),
      ...(action.ownerId ? { ownerName: personName(ctx.roster, action.ownerId) } : {}),
    });
    // Recorded as the ask's DM: the press, on either copy, updates this newest one.
    await postDm(cmoc.slackUserId, message, action);
  }
  return RESUME_REPLIES.posted(waiting.length, cmoc.name, ctx.person?.id === cmoc.id);
};
