import { policyFor } from '../core/index.ts';
import { actionIdFor, putAction, recordDm } from '../adapters/actions.ts';
import { dynamodb } from '../adapters/dynamodb.ts';
import { tableName } from '../adapters/env.ts';
import { getIncident } from '../adapters/incidents.ts';
import { logContext, logger } from '../adapters/logger.ts';
import { getOwnerDrafts, getRound } from '../adapters/rounds.ts';
import { loadRoster } from '../adapters/roster-store.ts';
import { dmChannel, slack } from '../adapters/slack.ts';
import { accountById, personById } from '../drafting/render.ts';
import type { AskOwnerInput } from '../payloads.ts';
import { ownerDm } from './message.ts';

/** Grace after the task's own timeout before a button is refused as expired. */
const EXPIRY_GRACE_SECONDS = 5 * 60;

/**
 * Puts the draft in front of the account owner and parks the task token behind an opaque action id.
 * The task completes when a button is pressed (slack-interactions) or times out in the state machine.
 */
export const handler = async (input: AskOwnerInput): Promise<{ actionId: string }> => {
  logContext({ incidentId: input.incidentId, round: input.round, ownerId: input.ownerId });
  const incident = await getIncident(input.incidentId);
  const round = await getRound(input.incidentId, input.round);
  if (!round) throw new Error(`Round ${input.round} of incident ${input.incidentId} does not exist`);
  const roster = await loadRoster({ tableName: tableName(), dynamodb });
  const owner = personById(roster, input.ownerId);
  const drafts = await getOwnerDrafts(input.incidentId, input.round, input.ownerId);
  const timeoutSeconds = policyFor(incident.severity).ownerTimeoutMinutes * 60;
  const now = Date.now();

  const action = await putAction({
    actionId: actionIdFor(input.taskToken),
    kind: 'owner-decision',
    taskToken: input.taskToken,
    incidentId: input.incidentId,
    round: input.round,
    ownerId: owner.id,
    allowedPersonIds: [owner.id],
    expiresAt: Math.floor(now / 1000) + timeoutSeconds + EXPIRY_GRACE_SECONDS,
    status: 'pending',
  });
  // A retried invocation with the same token finds the DM already posted and posts nothing.
  if (action.dm) return { actionId: action.actionId };

  const web = await slack();
  const channel = await dmChannel(web, owner.slackUserId);
  const message = ownerDm({
    incident,
    phase: round.phase,
    owner,
    accounts: drafts.map((d) => accountById(roster, d.accountId)),
    drafts,
    actionId: action.actionId,
    answerBy: new Date(now + timeoutSeconds * 1000),
  });
  const posted = await web.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never });
  if (!posted.ts) throw new Error('Slack accepted the DM but returned no timestamp');
  await recordDm(action.actionId, { channel, ts: posted.ts });
  logger.info('owner asked', { actionId: action.actionId, accounts: drafts.length });
  return { actionId: action.actionId };
};
