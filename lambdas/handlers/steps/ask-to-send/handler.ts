import {
  coverReason,
  policyFor,
  presenceWanted,
  whoIsAsked,
  type Presence,
  type WhoIsAskedInput,
} from '../../../domain/index.ts';
import type { Person } from '../../../domain/roster.ts';
import type { AccountDraft } from '../../../domain/records/round.ts';
import {
  actionIdFor,
  buttonExpiry,
  getAction,
  indexAsk,
  putAction,
  rearmAction,
} from '../../../adapters/actions.ts';
import { coverWhyOf, type ActionRecord } from '../../../domain/records/action.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import { incidentNow } from '../../../domain/records/incident.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { getOwnerDrafts, getRound } from '../../../adapters/rounds.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { postDm, slack, updateDm } from '../../../adapters/slack.ts';
import { completeTask } from '../../../adapters/stepfunctions.ts';
import { personById } from '../../../domain/roster.ts';
import {
  OWNER_DECISIONS,
  type AskOutcome,
  type AskOwnerInput,
  type AskSkipped,
} from '../../../contract/payloads.ts';
import { isOutOfDate } from '../../../domain/out-of-date.ts';
import { presenceUntilNotAway, slackPresence } from '../../../adapters/slack-presence.ts';
import { closeAsks } from '../../../services/asks.ts';
import { refreshHomes } from '../../../services/app-home.ts';
import type { AskEnding } from '../../../messages/ask-outcome.ts';
import type { Cover } from '../../../messages/ask-to-send.ts';
import { askMessage, moveAsk, type AskContext } from './move-ask.ts';
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
 *
 * One ask per round, owner and role, whatever its task token: a retried step (Step Functions gives each
 * attempt a new token) or the round started again finds the ask it made before — the DM is updated, not
 * posted again, and an ask already answered hands its answer to the new task at once.
 */
export const handler = lambdaHandler(
  async (input: AskOwnerInput): Promise<{ actionId?: string; skipped?: string }> => {
    const { role } = input;
    logContext({ incidentId: input.incidentId, round: input.round, ownerId: input.ownerId, role });
    // Read side by side: each is a round trip before the DM (docs/architecture.md, "Budgets"). The asks
    // this step may make are read with them (the owner's, and the backup's for an owner not working now),
    // since a retried step or a restarted round finds its ask there.
    const asBackup = { ...input, role: 'backup' as const };
    const [incident, round, roster, madeBefore, backupMade] = await Promise.all([
      getIncident(input.incidentId),
      getRound(input.incidentId, input.round),
      currentRoster(),
      getAction(askIdOf(input)),
      role === 'owner' ? getAction(askIdOf(asBackup)) : undefined,
    ]);
    if (!round) throw new Error(`Round ${input.round} of incident ${input.incidentId} does not exist`);
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
    const ctx = { input, incident, round, roster, owner, now };
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
        // The backup's ask is made now rather than after a hop through the state machine: the backup step
        // that follows finds it and arms it with its own token (and a press before that carries over).
        await askBackup({ ...ctx, input: asBackup }, base, { ifNobody: 'leave', made: backupMade });
        const reason = availability.reason === 'pto' ? 'on PTO' : 'off-hours';
        return skip(input, { decision: 'unavailable', reason });
      }
      const then = steps[1]?.role === 'backup' ? 'backup' : 'cmoc';
      return ask({ ...ctx, asked: owner, cover: undefined, then, before: madeBefore });
    }
    return askBackup(ctx, base, { ifNobody: 'skip', made: madeBefore });
  },
);

/**
 * Asks the regional backup for an owner who is unavailable, silent or said no. The backup asked first in a
 * round stays the one asked once the step has settled (a retried step, or the backup step after the
 * owner's made the ask, finds it and arms it).
 *
 * Presence only refines the choice among several on shift (domain/who-is-asked.ts): the DM goes to the
 * first of them while their presence is looked up beside it, so the lookup is not one more Slack round
 * trip before the DM. When they show as away and another on shift does not, the ask moves to that one
 * before anyone has pressed it (moveAsk), which is who a lookup made first would have chosen.
 */
async function askBackup(
  ctx: AskContext,
  base: WhoIsAskedInput,
  options: { ifNobody: 'skip' | 'leave'; made: ActionRecord | undefined },
): Promise<{ actionId?: string; skipped?: string }> {
  const { input, roster, owner } = ctx;
  const { made } = options;
  const madeFor = made?.allowedPersonIds[0];
  if (made && madeFor) {
    const asked = personById(roster, madeFor);
    const cover = { owner, why: coverWhyOf(made) };
    return ask({ ...ctx, asked, cover, then: 'cmoc', before: made });
  }
  const first = backupOf(base);
  if (!first) {
    // Left to the backup step itself, which says so in the owner's DM and hands the round on.
    if (options.ifNobody === 'leave') return {};
    await closeOwnerAsk(input, { kind: 'no_backup' });
    return skip(input, { decision: 'no_backup', reason: 'no regional backup is working now' });
  }
  const wanted = presenceWanted(base);
  const web = wanted.length > 0 ? await slack() : undefined;
  const lookUp = web ? () => presenceUntilNotAway(wanted, slackPresence(web)) : undefined;
  // The owner's own ask, if the round made one, is closed beside the backup's (it leaves the backup's open).
  const [asked] = await Promise.all([
    ask({
      ...ctx,
      asked: first.person,
      cover: { owner, why: coverReason(first.reason) },
      then: 'cmoc',
      before: made,
      beside: lookUp,
    }),
    closeOwnerAsk(input, { kind: 'backup', backup: first.person }),
  ]);
  const chosen = asked.presence && backupOf({ ...base, presence: asked.presence });
  if (
    chosen &&
    asked.drafts &&
    chosen.person.id !== first.person.id &&
    (await moveAsk(ctx, { actionId: asked.actionId, drafts: asked.drafts }, first.person, chosen))
  )
    // The owner's DM names who has it now (ending an ask again overwrites what it says).
    await closeOwnerAsk(input, { kind: 'backup', backup: chosen.person });
  return { actionId: asked.actionId };
}

const backupOf = (input: WhoIsAskedInput) => whoIsAsked(input).steps.find((s) => s.role === 'backup');

/** The one action id of an ask: the round, whose accounts, and whether the owner or a backup is asked. */
const askIdOf = (input: AskOwnerInput) =>
  actionIdFor(`ask:${input.incidentId}:${input.round}:${input.ownerId}:${input.role}`);

/** The owner's own ask ended when the backup's began (timed out, or nobody to ask): its DM says so. */
const closeOwnerAsk = (input: AskOwnerInput, ending: AskEnding) => closeAsks(input, ending, askIdOf(input));

/** What an ask answered before hands the task: the press that counted, as the press itself handed it. */
function answerOf(action: ActionRecord): AskOutcome | undefined {
  if (action.status !== 'done' || !action.pressedBy) return undefined;
  const decision = OWNER_DECISIONS.find((d) => d === action.decision);
  if (decision) return { decision, senderId: action.pressedBy };
  return action.decision === 'stale' ? { decision: 'stale' } : undefined;
}

async function skip(input: AskOwnerInput, outcome: AskSkipped): Promise<{ skipped: string }> {
  // Completing its own task is how an ask with nobody to ask ends at once (the caller's Choice reads it).
  // Only the decision goes into the execution: why a person is unavailable (PTO) is theirs, not the console's.
  const output: AskSkipped = { decision: outcome.decision };
  // A task already ended (a retried invocation after its own completion) needs nothing more.
  await completeTask(input.taskToken, output);
  logger.info('nobody asked', { decision: outcome.decision });
  return { skipped: outcome.decision };
}

async function ask(
  ctx: AskContext & {
    asked: Person;
    cover: Cover | undefined;
    then: 'backup' | 'cmoc';
    /** The ask as the step found it (read with the step's other reads), if it was made before. */
    before: ActionRecord | undefined;
    /** A lookup made beside the DM, not before it: its answer comes back with the ask. */
    beside?: (() => Promise<Map<string, Presence>>) | undefined;
  },
): Promise<{ actionId: string; drafts?: AccountDraft[]; presence?: Map<string, Presence> }> {
  const { input, incident, roster, owner, asked, before } = ctx;
  const policy = policyFor(incident.severity, roster.policy);
  const timeoutMinutes = input.role === 'backup' ? policy.backupTimeoutMinutes : policy.ownerTimeoutMinutes;
  const actionId = askIdOf(input);
  const expiresAt = buttonExpiry(timeoutMinutes * 60);
  const answerBy = new Date(ctx.now.getTime() + timeoutMinutes * 60_000);
  const answered = before && answerOf(before);
  if (answered) return handOver(input, actionId, answered);
  const arm = { taskToken: input.taskToken, expiresAt, answerBy: answerBy.toISOString() };
  if (before && !(await rearmAction(actionId, arm))) {
    // Pressed between the read and now: that press is the answer.
    const now = await getAction(actionId);
    const answer = now && answerOf(now);
    if (answer) return handOver(input, actionId, answer);
  }
  const { ended: _ended, ...kept } = before ?? {};
  const made: ActionRecord = before
    ? { ...(kept as ActionRecord), ...arm, status: 'pending' }
    : {
        actionId,
        kind: 'owner-decision',
        taskToken: input.taskToken,
        incidentId: input.incidentId,
        round: input.round,
        ownerId: owner.id,
        // Only the person asked may answer: the owner, or the backup covering them.
        allowedPersonIds: [asked.id],
        expiresAt,
        answerBy: arm.answerBy,
        status: 'pending',
        askedAt: new Date().toISOString(),
        ...(ctx.cover ? { coverWhy: ctx.cover.why } : {}),
        then: ctx.then,
      };
  // Side by side: the index names only the ask's keys (the same whichever record putAction keeps), and an
  // index entry whose action is missing is skipped by whoever reads it (adapters/actions.ts asksOf).
  const [action, , drafts] = await Promise.all([
    before ? made : putAction(made),
    indexAsk(made),
    getOwnerDrafts(input.incidentId, input.round, owner.id),
  ]);
  const message = askMessage(ctx, asked, ctx.cover, drafts, action.actionId, answerBy);
  const [, presence] = await Promise.all([
    action.dm
      ? // Asked before (a retried step, the round started again): the same DM, with its buttons and deadline.
        slack().then((web) => updateDm(web, action.dm!, message))
      : postDm(asked.slackUserId, message, action).then(() => {
          // Counted once: the same ask made again (a retry, the round started again) updates its DM above.
          if (input.role === 'backup') countEscalation('backup');
        }),
    ctx.beside?.(),
  ]);
  logger.info('asked to send', { actionId: action.actionId, askedId: asked.id, accounts: drafts.length });
  await refreshHomes(input.incidentId);
  return { actionId: action.actionId, drafts, ...(presence ? { presence } : {}) };
}

/** The ask was answered before this attempt: the new task gets that answer at once. */
async function handOver(
  input: AskOwnerInput,
  actionId: string,
  answer: AskOutcome,
): Promise<{ actionId: string }> {
  await completeTask(input.taskToken, answer);
  logger.info('asked before and answered: the answer is handed over', {
    actionId,
    decision: answer.decision,
  });
  return { actionId };
}
