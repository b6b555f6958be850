import {
  coverReason,
  policyFor,
  presenceWanted,
  whoIsAsked,
  type WhoIsAskedInput,
} from '../../../domain/index.ts';
import type { Person, Roster } from '../../../domain/roster.ts';
import { actionIdFor, buttonExpiry, indexAsk, putAction } from '../../../adapters/actions.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import { incidentNow, type IncidentRecord } from '../../../domain/records/incident.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { getOwnerDrafts, getRound } from '../../../adapters/rounds.ts';
import type { RoundRecord } from '../../../domain/records/round.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { postDm, slack } from '../../../adapters/slack.ts';
import { completeTask } from '../../../adapters/stepfunctions.ts';
import { accountById, personById } from '../../../domain/roster.ts';
import type { AskOwnerInput, AskSkipped } from '../../../contract/payloads.ts';
import { isOutOfDate } from '../../../domain/out-of-date.ts';
import { presenceUntilNotAway, slackPresence } from '../../../adapters/slack-presence.ts';
import { closeAsks } from '../../../services/asks.ts';
import type { AskEnding } from '../../../messages/ask-outcome.ts';
import { ownerDm, type Cover } from '../../../messages/ask-to-send.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';
import { countEscalation } from '../../../adapters/metrics.ts';

/**
 * Puts the draft in front of the person who should send it and parks the task token behind an opaque
 * action id; a button press (slack-interactions) or the state machine's timeout ends the task.
 *
 * Who is asked is domain/who-is-asked.ts, as in the dry-run and `/comms status`:
 * role 'owner': the account owner, if not on PTO and inside their working hours (Slack presence aside).
 * role 'backup': the regional backup on shift now, for an owner who was unavailable, silent or said no;
 * among several on shift, one not away on Slack.
 *
 * When there is nobody to ask, or the update went out of date (the incident resolved mid-round), the
 * task is completed here at once, so the state machine moves on without waiting out a timeout.
 */
export const handler = lambdaHandler(
  async (input: AskOwnerInput): Promise<{ actionId?: string; skipped?: string }> => {
    const { role } = input;
    logContext({ incidentId: input.incidentId, round: input.round, ownerId: input.ownerId, role });
    const incident = await getIncident(input.incidentId);
    const round = await getRound(input.incidentId, input.round);
    if (!round) throw new Error(`Round ${input.round} of incident ${input.incidentId} does not exist`);
    const roster = await currentRoster();
    const owner = personById(roster, input.ownerId);
    const now = incidentNow(incident, Date.now());

    if (isOutOfDate(incident, round)) {
      // The owner's DM, when the round got as far as asking them, is no longer needed either.
      if (role === 'backup')
        await closeOwnerAsk(input, {
          kind: 'resolved',
          resolvedAt: incident.resolvedAt ?? now.toISOString(),
        });
      return skip(input, { decision: 'stale', reason: 'the incident is resolved' });
    }
    const base: WhoIsAskedInput = { roster, owner, at: now, cmoc: personById(roster, incident.cmocId) };
    let asked: Person = owner;
    let cover: Cover | undefined;
    let then: 'backup' | 'cmoc' = 'cmoc';
    if (role === 'owner') {
      // Whether the owner is asked is the clock's alone, so an owner ask makes no presence calls. With the
      // policy's time-outs the rule also says who comes next, which the DM tells the owner.
      const policy = policyFor(incident.severity, roster.policy);
      const timeouts = {
        ownerMinutes: policy.ownerTimeoutMinutes,
        backupMinutes: policy.backupTimeoutMinutes,
      };
      const { owner: availability, steps } = whoIsAsked({ ...base, timeouts });
      if (steps[0]?.role !== 'owner') {
        const reason = availability.reason === 'pto' ? 'on PTO' : 'off-hours';
        return skip(input, { decision: 'unavailable', reason });
      }
      if (steps[1]?.role === 'backup') then = 'backup';
    } else {
      const presence = await presenceUntilNotAway(presenceWanted(base), slackPresence(await slack()));
      const backup = whoIsAsked({ ...base, presence }).steps.find((s) => s.role === 'backup');
      if (!backup) {
        await closeOwnerAsk(input, { kind: 'no_backup' });
        return skip(input, { decision: 'no_backup', reason: 'no regional backup is working now' });
      }
      await closeOwnerAsk(input, { kind: 'backup', backup: backup.person });
      asked = backup.person;
      cover = { owner, why: coverReason(backup.reason) };
    }
    return ask({ input, incident, round, roster, owner, asked, cover, then, now });
  },
);

/** The owner's own ask ended when the backup's began (timed out, or nobody to ask): its DM says so. */
const closeOwnerAsk = (input: AskOwnerInput, ending: AskEnding) =>
  closeAsks(input, ending, actionIdFor(input.taskToken));

async function skip(input: AskOwnerInput, outcome: AskSkipped): Promise<{ skipped: string }> {
  // Completing its own task is how an ask with nobody to ask ends at once (the caller's Choice reads it).
  // Only the decision goes into the execution: why a person is unavailable (PTO) is theirs, not the console's.
  const output: AskSkipped = { decision: outcome.decision };
  // A task already ended (a retried invocation after its own completion) needs nothing more.
  await completeTask(input.taskToken, output);
  logger.info('nobody asked', { decision: outcome.decision });
  return { skipped: outcome.decision };
}

async function ask(ctx: {
  input: AskOwnerInput;
  incident: IncidentRecord;
  round: RoundRecord;
  roster: Roster;
  owner: Person;
  asked: Person;
  cover: Cover | undefined;
  then: 'backup' | 'cmoc';
  now: Date;
}): Promise<{ actionId: string }> {
  const { input, incident, round, roster, owner, asked } = ctx;
  const policy = policyFor(incident.severity, roster.policy);
  const timeoutMinutes = input.role === 'backup' ? policy.backupTimeoutMinutes : policy.ownerTimeoutMinutes;
  const action = await putAction({
    actionId: actionIdFor(input.taskToken),
    kind: 'owner-decision',
    taskToken: input.taskToken,
    incidentId: input.incidentId,
    round: input.round,
    ownerId: owner.id,
    // Only the person asked may answer: the owner, or the backup covering them.
    allowedPersonIds: [asked.id],
    expiresAt: buttonExpiry(timeoutMinutes * 60),
    status: 'pending',
    askedAt: new Date().toISOString(),
    ...(ctx.cover ? { coverWhy: ctx.cover.why } : {}),
  });
  await indexAsk(action);
  // A retried invocation with the same token finds the DM already posted and posts nothing.
  if (action.dm) return { actionId: action.actionId };

  const drafts = await getOwnerDrafts(input.incidentId, input.round, owner.id);
  const message = ownerDm({
    incident,
    phase: round.phase,
    owner: asked,
    accounts: drafts.map((d) => accountById(roster, d.accountId)),
    drafts,
    actionId: action.actionId,
    answerBy: new Date(ctx.now.getTime() + timeoutMinutes * 60_000),
    ...(ctx.cover ? { cover: ctx.cover } : {}),
    then: ctx.then,
  });
  await postDm(asked.slackUserId, message, action);
  // Counted once: a retried invocation with the same token returned above without posting.
  if (input.role === 'backup') countEscalation('backup');
  logger.info('asked to send', { actionId: action.actionId, askedId: asked.id, accounts: drafts.length });
  return { actionId: action.actionId };
}
