import { policyFor } from '../../../domain/index.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import { incidentNow } from '../../../domain/records/incident.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { getOwnerDrafts, getRound } from '../../../adapters/rounds.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { personById } from '../../../domain/roster.ts';
import type { AskCmocInput } from '../../../contract/payloads.ts';
import { reviewDm } from '../../../messages/cmoc-review.ts';
import { cmocAction, rearmAction, reviewActionKey } from '../../../adapters/actions.ts';
import { completeTask } from '../../../adapters/stepfunctions.ts';
import { postDm } from '../../../adapters/slack.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/**
 * The CMOC's review of a drafted round (policy `cmocReview`): the draft with "Approve draft". The task
 * completes on the press, or times out and the round goes ahead anyway (the policy default: customers
 * are not kept waiting on a review). One review per round, whatever the task token: a retried step (a new
 * token per attempt) or the round started again finds the DM it posted, and a review already approved
 * hands its approval to the new task at once.
 */
export const handler = lambdaHandler(async (input: AskCmocInput): Promise<{ actionId: string }> => {
  logContext({ incidentId: input.incidentId, round: input.round });
  const incident = await getIncident(input.incidentId);
  const round = await getRound(input.incidentId, input.round);
  if (!round) throw new Error(`Round ${input.round} of incident ${input.incidentId} does not exist`);
  const roster = await currentRoster();
  const cmoc = personById(roster, incident.cmocId);
  const reviewMinutes = Math.max(1, policyFor(incident.severity, roster.policy).autoStartAfterMinutes);
  const goesAt = new Date(incidentNow(incident, Date.now()).getTime() + reviewMinutes * 60_000);
  const action = await cmocAction({
    key: reviewActionKey(incident.incidentId, round.round),
    incidentId: incident.incidentId,
    cmocId: cmoc.id,
    round: round.round,
    taskToken: input.taskToken,
    answerWithinSeconds: reviewMinutes * 60,
    answerBy: goesAt.toISOString(),
  });
  if (action.status === 'done' && action.pressedBy) {
    await completeTask(input.taskToken, { approved: true, by: action.pressedBy });
    return { actionId: action.actionId };
  }
  if (action.taskToken !== input.taskToken) {
    await rearmAction(action.actionId, { taskToken: input.taskToken, expiresAt: action.expiresAt });
  }
  if (action.dm) return { actionId: action.actionId };

  const firstOwner = round.owners[0];
  const preview = firstOwner
    ? ((await getOwnerDrafts(input.incidentId, round.round, firstOwner))[0]?.slack.text ?? '')
    : '';
  const message = reviewDm({ incident, round, preview, goesAt, actionId: action.actionId });
  await postDm(cmoc.slackUserId, message, action);
  logger.info('review asked', { actionId: action.actionId });
  return { actionId: action.actionId };
});
