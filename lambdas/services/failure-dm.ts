import type { WebClient } from '@slack/web-api';
import { logger } from '../adapters/logger.ts';
import { updateDm } from '../adapters/slack.ts';
import type { ActionRecord } from '../domain/records/action.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import { personName, type Roster } from '../domain/roster.ts';
import { answeredDm } from '../messages/step-failure.ts';

/**
 * Turns a failure DM (a step that failed past its retries) into the record of what was decided: its
 * buttons give way to `outcome`. `dm` is where it is when the action has not recorded it yet (a press
 * carries its message). Never fails the caller: the decision stands whether or not the DM could be updated.
 */
export async function showFailureAnswered(
  web: WebClient,
  context: { incident: IncidentRecord; roster: Roster; action: ActionRecord },
  outcome: string,
  dm: ActionRecord['dm'] = context.action.dm,
): Promise<void> {
  const { incident, roster, action } = context;
  if (!dm || !action.failure) return;
  const message = answeredDm(
    {
      incident,
      failure: action.failure,
      ...(action.round ? { round: action.round } : {}),
      ...(action.ownerId ? { ownerName: personName(roster, action.ownerId) } : {}),
    },
    outcome,
  );
  await updateDm(web, dm, message).catch((error: unknown) =>
    logger.warn('could not update the failure DM', { error, actionId: action.actionId }),
  );
}
