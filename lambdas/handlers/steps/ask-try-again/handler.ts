import {
  actionIdFor,
  buttonExpiry,
  getAction,
  indexRecovery,
  putAction,
  rearmAction,
} from '../../../adapters/actions.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { postDm, slack, updateDm } from '../../../adapters/slack.ts';
import { completeTask } from '../../../adapters/stepfunctions.ts';
import type { ActionRecord } from '../../../domain/records/action.ts';
import { personById, personName } from '../../../domain/roster.ts';
import { stepFailure } from '../../../domain/step-failure.ts';
import type { AskRecoveryInput, RecoveryInput, RecoveryOutput } from '../../../contract/payloads.ts';
import { failureDm } from '../../../messages/step-failure.ts';
import { stopComms } from '../../../services/stop-comms.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/**
 * How long the buttons stay pressable: the longest an execution can wait for them (an incident's 14 days;
 * a round's ask ends with the round, and its press is then told the step is no longer waiting).
 */
const ANSWER_WITHIN_SECONDS = 14 * 24 * 3600;

/**
 * A step failed past its retries (docs/architecture.md, "When a step fails"). Mode `ask`: the CMOC gets a
 * DM naming the step and the error with **Try again** and **Stop comms**, and the task waits for the press
 * (slack-interactions completes it). Mode `stop`: the press was Stop comms — it is recorded and what still
 * waits is wound down; without `by` it only reads who stopped them (a stop made inside a round). Returns
 * what the execution's output says of the stop.
 */
export const handler = lambdaHandler(async (input: RecoveryInput): Promise<RecoveryOutput> => {
  logContext({ incidentId: input.incidentId, mode: input.mode, step: input.step });
  if (input.mode === 'ask') return ask(input);
  const stop = input.by && input.step ? { by: input.by, step: input.step } : undefined;
  const stopped = await stopComms(input.incidentId, stop);
  return {
    incidentId: input.incidentId,
    ...(stopped ? { stoppedBy: stopped.by, stoppedAt: stopped.at, step: stopped.step } : {}),
  };
});

async function ask(input: AskRecoveryInput): Promise<RecoveryOutput> {
  const incident = await getIncident(input.incidentId);
  if (incident.commsStopped) {
    // Stopped from another failed step meanwhile: this one stops too, without asking again.
    await completeTask(input.taskToken, { decision: 'stop', by: incident.commsStopped.by });
    return { incidentId: incident.incidentId };
  }
  const roster = await currentRoster();
  const cmoc = personById(roster, incident.cmocId);
  const failure = stepFailure(input.step, input.error, input.cause);
  // One ask per failed step of this execution (and round, and owner): a retried ask finds its own DM, and
  // the same step failing again after Try again arms the same action again with a new DM.
  const key = ['recovery', incident.executionName, input.round ?? '', input.ownerId ?? '', input.step].join(
    ':',
  );
  const actionId = actionIdFor(key);
  const expiresAt = buttonExpiry(ANSWER_WITHIN_SECONDS);
  const before = await getAction(actionId);
  let action: ActionRecord;
  if (before) {
    await rearmAction(actionId, { taskToken: input.taskToken, expiresAt, failure }, { evenIfDone: true });
    action = {
      ...before,
      taskToken: input.taskToken,
      expiresAt,
      failure,
      status: 'pending',
      allowedPersonIds: [cmoc.id],
    };
  } else {
    action = await putAction({
      actionId,
      kind: 'recovery',
      taskToken: input.taskToken,
      incidentId: incident.incidentId,
      round: input.round ?? 0,
      ownerId: input.ownerId ?? '',
      allowedPersonIds: [cmoc.id],
      expiresAt,
      status: 'pending',
      askedAt: new Date().toISOString(),
      failure,
    });
  }
  await indexRecovery(action);
  const message = failureDm({
    incident,
    failure,
    actionId,
    ...(input.round === undefined ? {} : { round: input.round }),
    ...(input.ownerId ? { ownerName: personName(roster, input.ownerId) } : {}),
  });
  if (before?.status === 'pending' && before.dm) {
    // The same ask again (its first attempt posted and then failed): that DM is the one, brought up to date.
    await updateDm(await slack(), before.dm, message);
  } else {
    await postDm(cmoc.slackUserId, message, action);
  }
  logger.warn('step failed past its retries: the CMOC is asked', {
    actionId,
    step: input.step,
    error: failure.error,
  });
  return { incidentId: incident.incidentId, actionId };
}
