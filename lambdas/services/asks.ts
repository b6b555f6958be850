import type { WebClient } from '@slack/web-api';
import { accountById, personById } from '../domain/roster.ts';
import { asksOf, endAction } from '../adapters/actions.ts';
import { askedIn, coverWhyOf, type ActionRecord } from '../domain/records/action.ts';
import { getIncident } from '../adapters/incidents.ts';
import { logger } from '../adapters/logger.ts';
import { getOwnerDrafts, getRound } from '../adapters/rounds.ts';
import { currentRoster } from '../adapters/roster.ts';
import { slack, updateDm } from '../adapters/slack.ts';
import { askDraftDm } from '../messages/ask-to-send.ts';
import { describeEnding, withOutcome, type AskEnding } from '../messages/ask-outcome.ts';
import type { SlackMessage } from '../messages/slack-message.ts';
import { refreshHomes } from './app-home.ts';

/**
 * Closes every ask of an owner's round that nobody pressed: records how it ended (a later press is told
 * who has it) and turns its DM into that record — the draft stays, the buttons and "Please answer by …"
 * go. A pressed ask keeps its own record. Running it again (a retried step) writes the same again. Never
 * throws: a DM left open must not hold up, or fail, the step that moved the round on.
 */
export async function closeAsks(
  ref: { incidentId: string; round: number; ownerId: string },
  ending: AskEnding,
  /** An ask to leave open: the one the caller is posting now (a retried backup ask finds its own). */
  except?: string,
): Promise<number> {
  try {
    const open = (await asksOf(ref.incidentId, ref.round, ref.ownerId)).filter(
      (a) => a.status === 'pending' && a.actionId !== except,
    );
    if (open.length === 0) return 0;
    const { outcome, late } = describeEnding(ending);
    const at = new Date().toISOString();
    let web: WebClient | undefined;
    let closed = 0;
    for (const action of open) {
      if (!(await endAction(action.actionId, { at, outcome, late }))) continue;
      closed += 1;
      if (!action.dm) continue;
      try {
        web ??= await slack();
        // The same text again (a retried step) changes nothing Slack shows.
        await updateDm(web, action.dm, await closedDm(action, outcome));
      } catch (error) {
        // The ask is ended all the same: a press on the DM is told who has it.
        logger.warn('could not close the ask DM', { error, actionId: action.actionId });
      }
    }
    if (closed > 0) logger.info('asks closed', { closed, ending: ending.kind });
    // Handed on, sent by someone else, the round over: those asks no longer wait on anyone's Home.
    if (closed > 0) await refreshHomes(ref.incidentId);
    return closed;
  } catch (error) {
    logger.warn('could not close the asks', { error });
    return 0;
  }
}

/** The ask's DM as it was posted, without its buttons and deadline, with how it ended. */
async function closedDm(action: ActionRecord, outcome: string): Promise<SlackMessage> {
  const [incident, round, roster, drafts] = await Promise.all([
    getIncident(action.incidentId),
    getRound(action.incidentId, action.round),
    currentRoster(),
    getOwnerDrafts(action.incidentId, action.round, action.ownerId),
  ]);
  const owner = personById(roster, action.ownerId);
  const asked = askedIn(roster, action) ?? owner;
  const posted = askDraftDm({
    incident,
    phase: round?.phase ?? 'update',
    owner: asked,
    accounts: drafts.map((d) => accountById(roster, d.accountId)),
    drafts,
    ...(asked.id === owner.id ? {} : { cover: { owner, why: coverWhyOf(action) } }),
  });
  return withOutcome(posted, outcome);
}
