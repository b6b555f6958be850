import { listBroadcasts } from '../adapters/broadcasts.ts';
import { broadcastLogOf, correctionsOf, logOf } from '../adapters/notification-log.ts';
import { repliesOf } from '../adapters/replies.ts';
import { listRounds } from '../adapters/rounds.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { LogEntry } from '../domain/records/notification.ts';
import type { RoundRecord } from '../domain/records/round.ts';
import { retrospectiveOf, type Retrospective } from '../domain/retrospective.ts';
import type { Roster } from '../domain/roster.ts';

/**
 * An incident's comms retrospective from what the table holds: its rounds, its notification log, the
 * company broadcasts about it, the corrections sent and the customers' replies logged on it (domain/retrospective.ts decides
 * everything else). One reader for the read API, the CMOC's closing DM and the write-up reminder, so they
 * never disagree. `read`: the rounds and log a caller has read already for its own text.
 */
export async function retrospectiveFor(
  incident: IncidentRecord,
  roster: Roster,
  read: { rounds?: readonly RoundRecord[]; log?: readonly LogEntry[] } = {},
): Promise<Retrospective> {
  const id = incident.incidentId;
  const [rounds, log, replies, broadcasts, corrections] = await Promise.all([
    read.rounds ?? listRounds(id),
    read.log ?? logOf(id),
    repliesOf(id),
    broadcastsAbout(id),
    correctionsOf(id),
  ]);
  return retrospectiveOf({ incident, rounds, log, roster, replies, broadcasts, corrections });
}

/** How many of the latest broadcasts are searched for those about the incident (a closing reads it soon after). */
const BROADCASTS_SEARCHED = 200;

async function broadcastsAbout(incidentId: string) {
  const about = (await listBroadcasts(BROADCASTS_SEARCHED)).filter((b) => b.incidentId === incidentId);
  return Promise.all(
    about.map(async (b) => ({ broadcastId: b.broadcastId, log: await broadcastLogOf(b.broadcastId) })),
  );
}
