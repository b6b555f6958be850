import { incidentNow, type IncidentRecord } from '../domain/records/incident.ts';
import { listRounds } from '../adapters/rounds.ts';
import { currentRoster } from '../adapters/roster.ts';
import type { ScheduleFacts } from '../domain/schedule.ts';
import { scheduleInWords } from '../domain/schedule-words.ts';
import { childExecutionNames } from '../contract/execution-names.ts';
import type { NextStep, ScheduledStep } from '../contract/payloads.ts';

/** Everything the timetable reads about an incident, looked up once per invocation. */
export async function scheduleFacts(incident: IncidentRecord): Promise<ScheduleFacts> {
  const roster = await currentRoster();
  const facts: ScheduleFacts = { incident, roster, now: incidentNow(incident, Date.now()) };
  if (incident.maintenance) {
    const rounds = await listRounds(incident.incidentId);
    facts.headsUpSent = new Set(
      rounds.filter((r) => r.phase === 'maintenance-heads-up').flatMap((r) => r.accountIds),
    );
  }
  return facts;
}

/**
 * The schedule as the state machine stores it at `$.next`, with the names of the round and write-up it may
 * start next (the round is the incident's next round number: draft-update allocates it the same way) and
 * the schedule in words for whoever reads the execution in the console.
 */
export function scheduled(step: NextStep, incident: IncidentRecord): ScheduledStep {
  return {
    ...step,
    names: childExecutionNames(incident.executionName, incident.rounds + 1),
    inWords: scheduleInWords(step),
  };
}
