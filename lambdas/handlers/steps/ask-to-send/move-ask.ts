import { coverReason, type AskReason } from '../../../domain/index.ts';
import type { Person, Roster } from '../../../domain/roster.ts';
import { accountById } from '../../../domain/roster.ts';
import { getAction, reassignAction } from '../../../adapters/actions.ts';
import type { IncidentRecord } from '../../../domain/records/incident.ts';
import type { AccountDraft, RoundRecord } from '../../../domain/records/round.ts';
import type { AskOwnerInput } from '../../../contract/payloads.ts';
import { logger } from '../../../adapters/logger.ts';
import { postDm, slack, updateDm } from '../../../adapters/slack.ts';
import { refreshHomes } from '../../../services/app-home.ts';
import { withOutcome } from '../../../messages/ask-outcome.ts';
import { askDraftDm, ownerDm, type Cover } from '../../../messages/ask-to-send.ts';

/** What the ask step knows once it has read the incident, the round and the roster. */
export interface AskContext {
  input: AskOwnerInput;
  incident: IncidentRecord;
  round: RoundRecord;
  roster: Roster;
  owner: Person;
  now: Date;
}

/** The ask's DM with its buttons, for whoever is asked. */
export function askMessage(
  ctx: AskContext & { then: 'backup' | 'cmoc' },
  asked: Person,
  cover: Cover | undefined,
  drafts: AccountDraft[],
  actionId: string,
  answerBy: Date,
) {
  return ownerDm({
    incident: ctx.incident,
    phase: ctx.round.phase,
    owner: asked,
    accounts: drafts.map((d) => accountById(ctx.roster, d.accountId)),
    drafts,
    actionId,
    answerBy,
    ...(cover ? { cover } : {}),
    then: ctx.then,
  });
}

/**
 * The backup first asked shows as away on Slack and another on shift does not: the ask becomes that one's
 * before anyone has pressed it. The first DM keeps the draft and says who has it now (a press on it is
 * refused: only the person an ask names may answer it); the new DM has the buttons. False when the first
 * backup pressed in the meantime: that press stands, and so does the ask.
 */
export async function moveAsk(
  ctx: AskContext,
  ask: { actionId: string; drafts: AccountDraft[] },
  from: Person,
  to: { person: Person; reason: AskReason },
): Promise<boolean> {
  const { actionId, drafts } = ask;
  const cover = { owner: ctx.owner, why: coverReason(to.reason) };
  if (!(await reassignAction(actionId, { personId: to.person.id, coverWhy: cover.why }))) return false;
  const action = await getAction(actionId);
  if (!action) return false;
  const web = await slack();
  if (action.dm) {
    const accounts = drafts.map((d) => accountById(ctx.roster, d.accountId));
    const closed = askDraftDm({ ...ctx, phase: ctx.round.phase, owner: from, accounts, drafts, cover });
    const note = `↪ ${to.person.name} has been asked instead: you show as away on Slack. Nothing to do.`;
    await updateDm(web, action.dm, withOutcome(closed, note));
  }
  const answerBy = new Date(action.answerBy ?? ctx.now.toISOString());
  const message = askMessage({ ...ctx, then: 'cmoc' }, to.person, cover, drafts, actionId, answerBy);
  await postDm(to.person.slackUserId, message, action);
  logger.info('ask moved to a backup not away', { actionId, fromId: from.id, toId: to.person.id });
  await refreshHomes(ctx.input.incidentId);
  return true;
}
