import { findIncident } from '../../../adapters/incidents.ts';
import { logger } from '../../../adapters/logger.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { postDm } from '../../../adapters/slack.ts';
import type { ReceiptSubject } from '../../../adapters/sms-receipts.ts';
import { accountName, personById } from '../../../domain/roster.ts';
import { smsUndelivered } from '../../../messages/cmoc-notice.ts';

/**
 * A text the carrier did not deliver is news for the CMOC, who keeps the central log of who has been told:
 * it arrives after the round's summary, so it is said on its own. The number itself stays out of Slack
 * (the log has it). A DM that cannot be posted is logged; the receipt is recorded either way.
 */
export async function tellCmoc(subject: ReceiptSubject, error: string): Promise<void> {
  if (!subject.incidentId) return;
  try {
    const incident = await findIncident(subject.incidentId);
    if (!incident) return;
    const roster = await currentRoster();
    const cmoc = personById(roster, incident.cmocId);
    const account = subject.accountId ? accountName(roster, subject.accountId) : 'an account';
    await postDm(cmoc.slackUserId, { text: smsUndelivered(incident, account, error) });
  } catch (error) {
    logger.warn('could not tell the CMOC about an undelivered SMS', { error });
  }
}
