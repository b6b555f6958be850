import type { WebClient } from '@slack/web-api';
import { logger } from '../adapters/logger.ts';
import { accountName, type Roster } from '../domain/roster.ts';
import { correctView } from '../messages/correct-modal.ts';
import { currentText, type SentUpdate } from './corrections.ts';

/**
 * Opens the correction modal for an update, prefilled with the text it went out with (or its latest
 * correction): the same for `/comms correct` and the Correct button. Undefined when it opened; otherwise
 * what to tell the person (the trigger lives 3 s, so a slow moment means they simply try again).
 */
export async function openCorrection(
  web: WebClient,
  triggerId: string,
  roster: Roster,
  update: SentUpdate,
): Promise<string | undefined> {
  const accounts = [...new Set(update.entries.map((e) => e.accountId))].map((id) => accountName(roster, id));
  const view = correctView({
    target: { incidentId: update.incident.incidentId, round: update.round.round, senderId: update.senderId },
    body: await currentText(roster, update),
    accounts,
    sentAt: update.sentAt,
  });
  try {
    await web.views.open({ trigger_id: triggerId, view });
    return undefined;
  } catch (error) {
    logger.warn('could not open the correction modal', { error });
    return 'The correction could not be opened in time; try again.';
  }
}
