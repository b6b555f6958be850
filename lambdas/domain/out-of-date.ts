import type { IncidentRecord } from '../adapters/incidents.ts';
import type { RoundRecord } from '../adapters/rounds.ts';

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
