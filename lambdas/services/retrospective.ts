import { logOf } from '../adapters/notification-log.ts';
import { listRounds } from '../adapters/rounds.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { LogEntry } from '../domain/records/notification.ts';
import type { RoundRecord } from '../domain/records/round.ts';
import { retrospectiveOf, type Retrospective, type RetroReply } from '../domain/retrospective.ts';
import type { Roster } from '../domain/roster.ts';

/**
 * An incident's comms retrospective from what the table holds: its rounds and its notification log
 * (domain/retrospective.ts decides everything else). One reader for the read API, the CMOC's closing DM
 * and the write-up reminder, so they never disagree.
 */
export async function retrospectiveFor(incident: IncidentRecord, roster: Roster): Promise<Retrospective> {
  const [rounds, log] = await Promise.all([listRounds(incident.incidentId), logOf(incident.incidentId)]);
  return retrospectiveFrom(incident, roster, rounds, log);
}

/** The same from rounds and a log already read (the CMOC's notices read them for their own text). */
export function retrospectiveFrom(
  incident: IncidentRecord,
  roster: Roster,
  rounds: readonly RoundRecord[],
  log: readonly LogEntry[],
): Retrospective {
  return retrospectiveOf({ incident, rounds, log, roster, replies: repliesIn(log) });
}

/**
 * Customers' replies logged on the incident's lines. The log holds no reply lines yet, so this finds
 * none; it is the one place that will read them when it does.
 */
export function repliesIn(_log: readonly LogEntry[]): RetroReply[] {
  return [];
}
