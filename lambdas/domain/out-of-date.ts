import type { IncidentRecord } from './records/incident.ts';
import type { RoundRecord } from './records/round.ts';

/**
 * A first message or a progress update still waiting for a sender when the incident resolves is out of
 * date: sent now it would tell customers "we're investigating" after (or beside) "it's fixed". The
 * resolution round tells them instead.
 */
export function isOutOfDate(
  incident: Pick<IncidentRecord, 'status'>,
  round: Pick<RoundRecord, 'phase'> | undefined,
): boolean {
  return incident.status === 'resolved' && (round?.phase === 'initial' || round?.phase === 'update');
}
