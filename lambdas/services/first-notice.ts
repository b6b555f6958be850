import { markFirstNotice } from '../adapters/incidents.ts';
import { logger } from '../adapters/logger.ts';
import { recordTimeToFirstNotice } from '../adapters/metrics.ts';
import { firstNoticeOf } from '../domain/first-notice.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';

/**
 * After a delivery that told someone: the first time for this incident is recorded on it, and only the
 * call that recorded it reports the time to first notice, however many owners' deliveries race. Never
 * fails the delivery, which has already happened.
 */
export async function noteFirstNotice(incident: IncidentRecord, toldAt: string | undefined): Promise<void> {
  if (!toldAt || incident.firstNoticeAt) return;
  const notice = firstNoticeOf(incident, Date.parse(toldAt));
  if (!notice) return;
  try {
    if (await markFirstNotice(incident.incidentId, notice.at)) recordTimeToFirstNotice(notice.seconds);
  } catch (error) {
    logger.warn('first notice not recorded', { error });
  }
}
