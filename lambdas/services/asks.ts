import type { WebClient } from '@slack/web-api';
import { formatClock } from '../domain/index.ts';
import type { Person, RegionId, Roster } from '../domain/roster.ts';
import { accountById, personById } from '../domain/roster.ts';
import { asksOf, endAction } from '../adapters/actions.ts';
import type { ActionRecord } from '../domain/records/action.ts';
import { getIncident } from '../adapters/incidents.ts';
import { logger } from '../adapters/logger.ts';
import { getOwnerDrafts, getRound } from '../adapters/rounds.ts';
import { currentRoster } from '../adapters/roster.ts';
import { slack } from '../adapters/slack.ts';
import { askDraftDm } from '../messages/ask-to-send.ts';

/**
 * How an ask nobody pressed came to an end, as the workflow knows it: every step that moves an owner's
 * round on (the backup's ask, the delivery, the CMOC's alert, a press on the backup's DM) says which.
 */
export type AskEnding =
  /** The owner's time ran out (or they were unavailable) and a regional backup was asked. */
  | { kind: 'backup'; backup: Person }
  /** The owner's time ran out and no regional backup is working now: the CMOC's fallback follows. */
  | { kind: 'no_backup' }
  /** Nobody sent it in time: it went out as the company, signed by the CMOC. */
  | { kind: 'company'; cmoc: Person }
  /** Nobody sent it in time: the CMOC was alerted to send it or assign someone. */
  | { kind: 'cmoc'; cmoc: Person }
  /** Someone else (the backup, mostly) sent it, or said they had sent it by hand. */
  | { kind: 'sent'; sender: Person; byHand: boolean }
  /** The incident resolved: this update is out of date and the resolution goes out instead. */
  | { kind: 'resolved'; resolvedAt: string };

const REGION_LABEL: Record<RegionId, string> = { americas: 'Americas', emea: 'EMEA', apac: 'APAC' };

const clock = (iso: string) => formatClock(new Date(iso), 'UTC');

/** What the closed DM says, and what a press on it afterwards is told (both name who has it now). */
export function describeEnding(ending: AskEnding): { outcome: string; late: string } {
  switch (ending.kind) {
    case 'backup': {
      const who = `${ending.backup.name} (${REGION_LABEL[ending.backup.region]} backup)`;
      return {
        outcome: `⏱ Time's up — ${who} has been asked to send it.`,
        late: `Too late: this request timed out and ${who} has been asked to send it. Nothing changed.`,
      };
    }
    case 'no_backup':
      return {
        outcome: "⏱ Time's up — no regional backup is working now, so it has gone to the CMOC.",
        late: 'Too late: this request timed out and, with no regional backup working now, it has gone to the CMOC. Nothing changed.',
      };
    case 'company':
      return {
        outcome: `⏱ Time's up — it was sent as the company, signed by ${ending.cmoc.name} (CMOC).`,
        late: `Too late: this request timed out and it was sent as the company, signed by ${ending.cmoc.name} (CMOC). Nothing changed.`,
      };
    case 'cmoc':
      return {
        outcome: `⏱ Time's up — ${ending.cmoc.name} (CMOC) has been asked to send it or assign someone.`,
        late: `Too late: this request timed out and ${ending.cmoc.name} (CMOC) has taken it over. Nothing changed.`,
      };
    case 'sent': {
      const what = ending.byHand ? 'sent it themselves' : 'sent it to the accounts';
      return {
        outcome: `✅ ${ending.sender.name} ${what}.`,
        late: `Too late: ${ending.sender.name} ${what}. Nothing changed.`,
      };
    }
    case 'resolved':
      return {
        outcome: `⏹ No longer needed: the incident was resolved at ${clock(ending.resolvedAt)}. Customers get the resolution update instead.`,
        late: `Too late: the incident was resolved at ${clock(ending.resolvedAt)}, so this update is no longer needed. Nothing changed.`,
      };
  }
}

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
        const message = await closedDm(action, outcome);
        // chat.update to the same text again (a retried step) changes nothing Slack shows.
        await web.chat.update({
          channel: action.dm.channel,
          ts: action.dm.ts,
          text: message.text,
          blocks: message.blocks as never,
        });
      } catch (error) {
        // The ask is ended all the same: a press on the DM is told who has it.
        logger.warn('could not close the ask DM', { error, actionId: action.actionId });
      }
    }
    if (closed > 0) logger.info('asks closed', { closed, ending: ending.kind });
    return closed;
  } catch (error) {
    logger.warn('could not close the asks', { error });
    return 0;
  }
}

/** The ask's DM as it was posted, without its buttons and deadline, with how it ended. */
async function closedDm(action: ActionRecord, outcome: string): Promise<{ text: string; blocks: unknown[] }> {
  const [incident, round, roster, drafts] = await Promise.all([
    getIncident(action.incidentId),
    getRound(action.incidentId, action.round),
    currentRoster(),
    getOwnerDrafts(action.incidentId, action.round, action.ownerId),
  ]);
  const owner = personById(roster, action.ownerId);
  const asked = askedPerson(roster, action) ?? owner;
  const posted = askDraftDm({
    incident,
    phase: round?.phase ?? 'update',
    owner: asked,
    accounts: drafts.map((d) => accountById(roster, d.accountId)),
    drafts,
    ...(asked.id === owner.id ? {} : { cover: { owner, why: action.coverWhy ?? "didn't send it in time" } }),
  });
  return {
    text: `${posted.text} — ${outcome}`,
    blocks: [...posted.blocks, { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] }],
  };
}

const askedPerson = (roster: Roster, action: ActionRecord): Person | undefined =>
  roster.people.find((p) => p.id === action.allowedPersonIds[0]);
