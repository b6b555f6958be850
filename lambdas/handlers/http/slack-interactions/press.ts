import type { Person, Roster } from '../../../domain/roster.ts';
import { asksOf, completeAction, getAction, isActionId, reopenAction } from '../../../adapters/actions.ts';
import {
  askedIn,
  countedAlready,
  type ActionKind,
  type ActionRecord,
} from '../../../domain/records/action.ts';
import { completeTask, type TaskAnswer } from '../../../adapters/stepfunctions.ts';
import { findIncident } from '../../../adapters/incidents.ts';
import { logger } from '../../../adapters/logger.ts';
import { incidentNow } from '../../../domain/records/incident.ts';
import { alreadyDone, describeEnding, notYours, PRESS_REFUSED } from '../../../messages/ask-outcome.ts';
import type { InteractionContext } from './dispatch.ts';

/**
 * The rules every button that completes a parked task follows (owner and CMOC buttons alike):
 * the button's value is an opaque action id; the action says who may press and until when; exactly one
 * press counts; the task token never leaves the table. Each refusal comes with the sentence the presser
 * is shown, and changes nothing.
 */
export type Authorised = { ok: true; action: ActionRecord; presser: Person } | { ok: false; tell: string };

/**
 * Who may press, checked in this order: the button exists, it is theirs, it is still open, it is in time.
 * `actionId` is the button's value (or wherever the control carries it).
 */
export async function authorise(
  ctx: Pick<InteractionContext, 'roster' | 'slackUserId' | 'now'>,
  kind: ActionKind,
  actionId: unknown,
): Promise<Authorised> {
  if (!isActionId(actionId)) return { ok: false, tell: PRESS_REFUSED.noLongerValid };
  // Both reads at once: a press is on the way to the DMs it starts.
  const [action, roster] = await Promise.all([getAction(actionId), ctx.roster()]);
  if (!action || action.kind !== kind) return { ok: false, tell: PRESS_REFUSED.noLongerValid };
  const presser = roster.people.find((p) => p.slackUserId === ctx.slackUserId);
  if (!presser || !action.allowedPersonIds.includes(presser.id))
    return { ok: false, tell: notYours(roster, action.allowedPersonIds) };
  // The same press delivered again goes on: what it did is finished where it stopped (settle).
  if (action.status === 'done' && !countedAlready(action, presser.id, ctx.now.toISOString()))
    return { ok: false, tell: alreadyDone(roster, action) };
  // The workflow moved on without a press: the ask says who has it now.
  if (action.ended) return { ok: false, tell: action.ended.late };
  if (action.expiresAt * 1000 < ctx.now.getTime())
    return { ok: false, tell: await tooLate(roster, action, PRESS_REFUSED.expired) };
  return { ok: true, action, presser };
}

export type Settled = { ok: true; pressedAt: string } | { ok: false; tell: string };

/**
 * A press on an ask whose time is up: who has it now, as the step that moved the round on recorded it, or
 * (pressed in the moment before that step ran) as far as the round's later asks tell.
 */
async function tooLate(roster: Roster, action: ActionRecord, otherwise: string): Promise<string> {
  if (action.kind !== 'owner-decision') return otherwise;
  const now = await getAction(action.actionId);
  if (now?.ended) return now.ended.late;
  const later = (await asksOf(action.incidentId, action.round, action.ownerId)).find(
    (a) => a.actionId !== action.actionId && (a.askedAt ?? '') > (action.askedAt ?? ''),
  );
  const backup = later && askedIn(roster, later);
  if (backup && backup.id !== action.ownerId) return describeEnding({ kind: 'backup', backup }).late;
  return PRESS_REFUSED.movedOn;
}

/**
 * Records the one press that counts and completes the parked task with `output`. `beforeHandOver` runs
 * after the press is claimed and before the workflow hears of it (e.g. storing an edited text the next
 * step will read); `undo` reverts it if the workflow could not be told. Either failing reopens the action,
 * so the record never claims what did not happen.
 */
export async function settle(input: {
  roster: Roster;
  action: ActionRecord;
  presser: Person;
  decision: string;
  output: TaskAnswer;
  now: Date;
  beforeHandOver?: () => Promise<void>;
  undo?: () => Promise<void>;
}): Promise<Settled> {
  const { action } = input;
  const pressedAt = input.now.toISOString();
  const claimed = await completeAction(action.actionId, {
    decision: input.decision,
    pressedBy: input.presser.id,
    pressedAt,
  });
  // The same press delivered again: an earlier run claimed it and may have stopped before telling the
  // workflow, so this one tells it again (a task already told answers false) and never reopens the action.
  let repeat = false;
  if (!claimed) {
    const again = await getAction(action.actionId);
    repeat = again !== undefined && countedAlready(again, input.presser.id, pressedAt);
    if (!repeat)
      return { ok: false, tell: again ? alreadyDone(input.roster, again) : PRESS_REFUSED.noLongerValid };
  }
  let prepared = false;
  let told: boolean;
  try {
    await input.beforeHandOver?.();
    prepared = true;
    told = await completeTask(action.taskToken, input.output);
  } catch (error) {
    if (!repeat) {
      if (prepared) await input.undo?.();
      await reopenAction(action.actionId);
    }
    throw error;
  }
  if (told || repeat) return { ok: true, pressedAt };
  if (await carriedOver(action, input.output, input.presser.id)) return { ok: true, pressedAt };
  // The task was gone (timed out, answered): nothing happened, and the record must not say otherwise.
  await input.undo?.();
  await reopenAction(action.actionId);
  return { ok: false, tell: await tooLate(input.roster, action, PRESS_REFUSED.tooLate) };
}

/**
 * The token a press read is dead, but the ask lives on in a new attempt of its step (docs/architecture.md,
 * "When a step fails"): an attempt that asked and then failed is retried, and the retry asks again with its
 * own token. Told apart from an ask that timed out by the time: before the asking task's own deadline
 * (`answerBy`, on the incident's clock) its token can only have died with its attempt. The retry armed
 * already: that task is told. Not yet: the press stays recorded, and the retried ask finds it answered and
 * hands it over (ask-to-send, ask-cmoc-review). A recovery ask arms itself afresh, so it never carries over.
 */
async function carriedOver(pressed: ActionRecord, output: TaskAnswer, presserId: string): Promise<boolean> {
  if (pressed.kind === 'recovery' || !pressed.taskToken || !pressed.answerBy) return false;
  const incident = await findIncident(pressed.incidentId);
  if (!incident || incidentNow(incident, Date.now()).toISOString() >= pressed.answerBy) return false;
  const now = await getAction(pressed.actionId);
  if (!now || now.status !== 'done' || now.pressedBy !== presserId || now.ended) return false;
  // A retry that armed before this press was recorded waits on its own token; one that came after found
  // the press and handed it over itself (its token then answers false, which changes nothing).
  if (now.taskToken !== pressed.taskToken) await completeTask(now.taskToken, output);
  logger.info('the asking step was retried: the press carries over', { actionId: pressed.actionId });
  return true;
}
