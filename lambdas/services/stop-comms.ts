import { stillOpen } from '../domain/records/action.ts';
import type { WebClient } from '@slack/web-api';
import { asksOf, completeAction, recoveriesOf } from '../adapters/actions.ts';
import { getIncident, recordCommsStop } from '../adapters/incidents.ts';
import { logger } from '../adapters/logger.ts';
import { getRound } from '../adapters/rounds.ts';
import { currentRoster } from '../adapters/roster.ts';
import { slack } from '../adapters/slack.ts';
import { completeTask } from '../adapters/stepfunctions.ts';
import type { CommsStopped, IncidentRecord } from '../domain/records/incident.ts';
import { personById, type Roster } from '../domain/roster.ts';
import { stoppedOutcome } from '../messages/step-failure.ts';
import { closeAsks } from './asks.ts';
import { showFailureAnswered } from './failure-dm.ts';

/**
 * The CMOC pressed **Stop comms**: the stop is recorded on the incident (the first one stays), and what is
 * still waiting in the incident's latest round is wound down at once instead of waiting out its time-outs:
 * open asks are answered "stale" (their DMs say comms were stopped), other failed steps waiting for a
 * decision are answered "stop" (their DMs say by whom). From then on nothing goes out (domain/out-of-date.ts)
 * and the scheduler's `act` is "stop". Running it again does the same again and changes nothing more.
 */
export async function stopComms(
  incidentId: string,
  stop?: { by: string; step: string },
): Promise<CommsStopped | undefined> {
  const stopped = stop
    ? await recordCommsStop(incidentId, { ...stop, at: new Date().toISOString() })
    : (await getIncident(incidentId)).commsStopped;
  if (!stopped) return undefined;
  try {
    const [incident, roster] = await Promise.all([getIncident(incidentId), currentRoster()]);
    await windDown(incident, roster, stopped);
  } catch (error) {
    // The stop itself is recorded: what is left waits out its own time-outs and finds nothing to send.
    logger.warn('could not wind down the round after comms were stopped', { error });
  }
  return stopped;
}

async function windDown(incident: IncidentRecord, roster: Roster, stopped: CommsStopped): Promise<void> {
  const cmoc = personById(roster, stopped.by);
  let web: WebClient | undefined;
  for (const action of await recoveriesOf(incident.incidentId)) {
    if (action.status !== 'pending') continue;
    if (
      !(await completeAction(action.actionId, {
        decision: 'stop',
        pressedBy: cmoc.id,
        pressedAt: stopped.at,
      }))
    )
      continue;
    if (action.failure) await completeTask(action.taskToken, { decision: 'stop', by: cmoc.id });
    if (action.dm && action.failure) {
      web ??= await slack();
      await showFailureAnswered(web, { incident, roster, action }, stoppedOutcome(cmoc.name, stopped.at));
    }
  }
  const latest = incident.rounds;
  const round = latest > 0 ? await getRound(incident.incidentId, latest) : undefined;
  for (const ownerId of round?.owners ?? []) {
    const ref = { incidentId: incident.incidentId, round: latest, ownerId };
    const open = (await asksOf(ref.incidentId, ref.round, ownerId)).filter(stillOpen);
    for (const ask of open) await completeTask(ask.taskToken, { decision: 'stale' });
    await closeAsks(ref, { kind: 'stopped', cmoc, at: stopped.at });
  }
}
