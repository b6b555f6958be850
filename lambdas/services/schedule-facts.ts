import { incidentNow, type IncidentRecord } from '../domain/records/incident.ts';
import { listRounds } from '../adapters/rounds.ts';
import { currentRoster } from '../adapters/roster.ts';
import type { ScheduleFacts } from '../domain/schedule.ts';

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
