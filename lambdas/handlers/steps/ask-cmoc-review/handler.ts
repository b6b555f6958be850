import { formatClock, policyFor } from '../../../domain/index.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import { incidentNow } from '../../../domain/records/incident.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { getOwnerDrafts, getRound } from '../../../adapters/rounds.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { PHASE_LABEL } from '../../../messages/ask-to-send.ts';
import { personById } from '../../../domain/roster.ts';
import type { AskCmocInput } from '../../../contract/payloads.ts';
import { buttonsBlock, CMOC_BUTTONS } from '../../../messages/cmoc-buttons.ts';
import { cmocAction } from '../../../adapters/actions.ts';
import { postDm } from '../../../adapters/slack.ts';

/**
 * The CMOC's review of a drafted round (policy `cmocReview`): the draft with "Approve draft". The task
 * completes on the press, or times out and the round goes ahead anyway (the policy default: customers
 * are not kept waiting on a review).
 */
export const handler = async (input: AskCmocInput): Promise<{ actionId: string }> => {
  logContext({ incidentId: input.incidentId, round: input.round });
  const incident = await getIncident(input.incidentId);
  const round = await getRound(input.incidentId, input.round);
  if (!round) throw new Error(`Round ${input.round} of incident ${input.incidentId} does not exist`);
  const roster = await currentRoster();
  const cmoc = personById(roster, incident.cmocId);
  const reviewMinutes = Math.max(1, policyFor(incident.severity, roster.policy).autoStartAfterMinutes);
  const action = await cmocAction({
    key: input.taskToken,
    incidentId: incident.incidentId,
    cmocId: cmoc.id,
    round: round.round,
    taskToken: input.taskToken,
    answerWithinSeconds: reviewMinutes * 60,
  });
  if (action.dm) return { actionId: action.actionId };

  const firstOwner = round.owners[0];
  const preview = firstOwner
    ? ((await getOwnerDrafts(input.incidentId, round.round, firstOwner))[0]?.slack.text ?? '')
    : '';
  const goesAt = formatClock(
    new Date(incidentNow(incident, Date.now()).getTime() + reviewMinutes * 60_000),
    'UTC',
  );
  const text =
    `*${incident.severity} · ${incident.title}*\nThe ${PHASE_LABEL[round.phase]} (round ${round.round}) is drafted for ` +
    `${round.accountIds.length} accounts of ${round.owners.length} owners. It goes to the owners at ${goesAt}, or as soon as you approve it.`;
  const blocks = [
    { type: 'section', text: { type: 'mrkdwn', text } },
    { type: 'section', text: { type: 'mrkdwn', text: `>${preview.split('\n').join('\n>')}` } },
    buttonsBlock(action.actionId, [CMOC_BUTTONS.approve]),
  ];
  await postDm(cmoc.slackUserId, { text, blocks }, action);
  logger.info('review asked', { actionId: action.actionId });
  return { actionId: action.actionId };
};
