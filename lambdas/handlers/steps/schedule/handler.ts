import { getIncident, updateIncident } from '../../../adapters/incidents.ts';
import { incidentNow, type IncidentRecord } from '../../../domain/records/incident.ts';
import { markConsumed } from '../../../adapters/incident-events.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import type {
  IncidentEventType,
  NextStep,
  ScheduledStep,
  ScheduleInput,
} from '../../../contract/payloads.ts';
import { scheduled, scheduleFacts } from '../../../services/schedule-facts.ts';
import { afterRound, eventStep, stageStep, startStep, unlessStopped } from '../../../domain/schedule.ts';
import { writeUpLink } from '../../../domain/write-up.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/**
 * Reads the incident and works out the workflow's timetable (domain/schedule.ts): at the start, after
 * an event (which it also marks consumed, beside the read: see incident-events.ts), after a round or a
 * reminder, and in the write-up follow-up. Returns only the schedule; the state machine waits and branches on it.
 */
export const handler = lambdaHandler(async (input: ScheduleInput): Promise<ScheduledStep> => {
  logContext({ incidentId: input.incidentId, mode: input.mode });
  // An event is marked consumed beside the incident's read (they are different items): after the CMOC's
  // start press this step is on the way to every owner's DM (docs/architecture.md, "Budgets").
  const [incident] = await Promise.all([
    getIncident(input.incidentId),
    input.mode === 'event' ? markConsumed(input.incidentId, input.event.eventId) : undefined,
  ]);
  return scheduled(unlessStopped(incident, await schedule(input, incident)), incident);
});

async function schedule(input: ScheduleInput, read: IncidentRecord): Promise<NextStep> {
  let incident = read;
  switch (input.mode) {
    case 'start': {
      const facts = await scheduleFacts(incident);
      // The SEV1 hold counts from here, the moment the CMOC is asked; a repeated start keeps the first.
      if (!incident.maintenance && !incident.commsAskedAt) {
        await updateIncident(incident.incidentId, { commsAskedAt: facts.now.toISOString() });
      }
      return startStep(facts);
    }
    case 'event': {
      incident = await onTheIncidentsClock(incident, input.event.type);
      if (input.stage === 'postmortem' && input.event.type === 'engineering_update' && !incident.writeUpUrl) {
        const link = writeUpLink(incident.engineeringUpdate);
        if (link) {
          await updateIncident(incident.incidentId, { writeUpUrl: link });
          incident = { ...incident, writeUpUrl: link };
        }
      }
      const step = eventStep(await scheduleFacts(incident), input.stage, input.event.type);
      logger.info('event read', { type: input.event.type, stage: input.stage, act: step.act });
      return step;
    }
    case 'next': {
      const facts = await scheduleFacts(incident);
      return input.phase ? afterRound(facts, input.stage, input.phase) : stageStep(facts, input.stage);
    }
    case 'postmortem':
      return stageStep(await scheduleFacts(incident), 'postmortem');
  }
}

/**
 * An incident on its own clock (a simulated timeline) keeps every time on that timeline: the front door
 * stamps the resolution with the wall clock, so it is restamped here with the incident's "now".
 */
async function onTheIncidentsClock(
  incident: IncidentRecord,
  type: IncidentEventType,
): Promise<IncidentRecord> {
  if (!incident.clock || type !== 'resolved' || incident.status !== 'resolved') return incident;
  const resolvedAt = incidentNow(incident, Date.now()).toISOString();
  await updateIncident(incident.incidentId, { resolvedAt });
  return { ...incident, resolvedAt };
}
