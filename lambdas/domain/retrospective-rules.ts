import { factsOf } from './draft-for.ts';
import { policyFor, promisesNextUpdate } from './ladder.ts';
import type { IncidentRecord } from './records/incident.ts';
import type { RetroUpdate, SenderRole } from './retrospective.ts';
import type { Roster } from './roster.ts';
import { nextUpdateMinutes } from './slots.ts';

/**
 * The minutes an update of this phase promised, as its words said it (slots.ts, the same rule the
 * templates fill "next update within …" from): a level with a cadence while the incident is open; the closing
 * messages promise nothing.
 */
export function promisedMinutes(
  incident: IncidentRecord,
  roster: Pick<Roster, 'policy'>,
): (phase: RetroUpdate['phase']) => number | undefined {
  const policy = policyFor(incident.severity, roster.policy);
  const minutes = nextUpdateMinutes(factsOf(incident, roster.policy), policy);
  const promises = promisesNextUpdate(policy);
  return (phase) => (promises && (phase === 'initial' || phase === 'update') ? minutes : undefined);
}

/**
 * Who a sender was to this account: its owner; the incident's CMOC; a regional backup; anyone else on a
 * CMOC rota (a CMOC before a handoff). Someone else covering is counted as a backup.
 */
export function senderRoles(
  incident: IncidentRecord,
  roster: Pick<Roster, 'regions'>,
): (senderId: string, ownerId: string | undefined) => SenderRole {
  const regions = Object.values(roster.regions);
  const backups = new Set(regions.flatMap((r) => r.backups));
  const cmocs = new Set(regions.flatMap((r) => r.cmoc));
  return (senderId, ownerId) => {
    if (senderId === ownerId) return 'owner';
    if (senderId === incident.cmocId) return 'cmoc';
    if (backups.has(senderId)) return 'backup';
    return cmocs.has(senderId) ? 'cmoc' : 'backup';
  };
}
