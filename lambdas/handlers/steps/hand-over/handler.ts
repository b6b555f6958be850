import { getIncident, updateIncident } from '../../../adapters/incidents.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { logOf } from '../../../adapters/notification-log.ts';
import { listRounds } from '../../../adapters/rounds.ts';
import { personById } from '../../../domain/roster.ts';
import type { HandOverInput, ScheduledStep } from '../../../contract/payloads.ts';
import { dmOnce } from '../../../services/dm-once.ts';
import { handOverNotices } from '../../../messages/cmoc-notice.ts';
import { scheduled, scheduleFacts } from '../../../services/schedule-facts.ts';
import { cmocNow, stageStep } from '../../../domain/schedule.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/**
 * The regional CMOC handoff (handbook: "Manages regional handoffs if incidents span time zones"): when
 * the CMOC's working day ends, the CMOC on shift now takes over and gets the state of every account;
 * the previous one is told who has it. Returns the workflow's next step.
 */
export const handler = lambdaHandler(async (input: HandOverInput): Promise<ScheduledStep> => {
  logContext({ incidentId: input.incidentId });
  const incident = await getIncident(input.incidentId);
  const facts = await scheduleFacts(incident);
  const nextId = cmocNow(facts.roster, incident.cmocId, facts.now);
  if (nextId === incident.cmocId) return scheduled(stageStep(facts, input.stage), incident);

  const previous = personById(facts.roster, incident.cmocId);
  const next = personById(facts.roster, nextId);
  const notices = handOverNotices({
    incident,
    roster: facts.roster,
    previous,
    next,
    rounds: await listRounds(incident.incidentId),
    log: await logOf(incident.incidentId),
    now: facts.now,
  });
  // Each DM once per handoff (the schedule's key): a retry after a failed post tells whoever was not told.
  const key = `handover:${incident.incidentId}:${input.key}:${previous.id}:${next.id}`;
  await dmOnce(`${key}:to-next`, next.slackUserId, { text: notices.toNext });
  await dmOnce(`${key}:to-previous`, previous.slackUserId, { text: notices.toPrevious });
  // Recorded after both DMs: a retry after a failed post must still find the old CMOC and tell them both.
  await updateIncident(incident.incidentId, { cmocId: next.id });
  logger.info('CMOC handed over', { from: previous.id, to: next.id });
  return scheduled(
    stageStep({ ...facts, incident: { ...incident, cmocId: next.id } }, input.stage),
    incident,
  );
});
