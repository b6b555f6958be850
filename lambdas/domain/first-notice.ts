import { incidentNow, type IncidentRecord } from './records/incident.ts';

/**
 * Time to first notice: from the incident's start to the first customer told about it (a send, or an
 * owner's own send recorded), on the incident's clock. A maintenance window is announced ahead of time,
 * not noticed, so it has none.
 */
export function firstNoticeOf(
  incident: Pick<IncidentRecord, 'startedAt' | 'clock' | 'maintenance'>,
  toldAtWallMs: number,
): { at: string; seconds: number } | undefined {
  if (incident.maintenance) return undefined;
  const at = incidentNow(incident, toldAtWallMs);
  const seconds = Math.max(0, (at.getTime() - Date.parse(incident.startedAt)) / 1000);
  return Number.isFinite(seconds) ? { at: at.toISOString(), seconds } : undefined;
}
