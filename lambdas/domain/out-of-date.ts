import type { IncidentRecord } from './records/incident.ts';
import type { RoundRecord } from './records/round.ts';

/**
 * A first message or a progress update still waiting for a sender when the incident resolves is out of
 * date: sent now it would tell customers "we're investigating" after (or beside) "it's fixed". The
 * resolution round tells them instead. Once the CMOC stopped the incident's comms, nothing of any round
 * goes out any more.
 */
export function isOutOfDate(
  incident: Pick<IncidentRecord, 'status' | 'commsStopped'>,
  round: Pick<RoundRecord, 'phase'> | undefined,
): boolean {
  if (incident.commsStopped) return true;
  return incident.status === 'resolved' && (round?.phase === 'initial' || round?.phase === 'update');
}
