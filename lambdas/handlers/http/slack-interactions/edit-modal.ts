import { checkTone } from '../../../domain/index.ts';
import { accountById, accountName, personName, type Person, type Roster } from '../../../domain/roster.ts';
import type { ActionRecord } from '../../../domain/records/action.ts';
import { logger } from '../../../adapters/logger.ts';
import { draftFor } from '../../../domain/draft-for.ts';
import { getOwnerDrafts, revertOwnerEdit, saveOwnerEdit } from '../../../adapters/rounds.ts';
import type { OwnerAnswer } from '../../../contract/payloads.ts';
import {
  EDIT_BLOCK as BLOCK,
  EDIT_ELEMENT as ELEMENT,
  editView,
  findingsText,
  SEND_ANYWAY,
  sentAsEdited,
} from '../../../messages/edit-modal.ts';
import type { BlockActionHandler, InteractionContext, ViewReply, ViewSubmissionHandler } from './dispatch.ts';
import type { ViewSubmission } from './payload.ts';
import { editableBody, withEditedBody } from '../../../domain/edited-drafts.ts';
import { showDecision } from './owner-dm.ts';
import { authorise, settle } from './press.ts';
import { leaveUnsent, resolvedSince, roundOf } from './stale.ts';

/**
 * "Edit" on the owner's DM: a modal with the draft; on submit the text goes through the handbook's tone
 * check. Findings keep the modal open with the findings under the text and a "send anyway" box to tick;
 * a clean text (or a ticked box) is stored for the owner's accounts in this round and sent — the same as
 * pressing "Send to my accounts". The modal and its texts are messages/edit-modal.ts.
 */

/**
 * The drafts the presser edits: the owner's own, or — for a backup covering the owner — the same update
 * drafted under the backup's name, as it would go out if they pressed "Send" (delivery sends stored drafts
 * as they are only to the person who edited them).
 */
async function draftsOf(
  action: ActionRecord,
  roster: Roster,
  presser: Person,
  records?: Awaited<ReturnType<typeof roundOf>>,
) {
  const stored = await getOwnerDrafts(action.incidentId, action.round, action.ownerId);
  let drafts = stored;
  if (presser.id !== action.ownerId) {
    const { incident, round } = records ?? (await roundOf(action));
    if (!round) throw new Error(`Round ${action.round} of incident ${action.incidentId} does not exist`);
    drafts = stored.map((d) =>
      draftFor(roster, incident, round.phase, accountById(roster, d.accountId), presser),
    );
  }
  const accounts = drafts.map((d) => accountName(roster, d.accountId));
  return { drafts, accounts };
}

export const openEditModal: BlockActionHandler = async (ctx, pressed, payload) => {
  const roster = await ctx.roster();
  const allowed = await authorise(ctx, 'owner-decision', pressed.value);
  if (!allowed.ok) return { tell: allowed.tell };
  if (!payload.trigger_id) return { tell: 'Slack did not say where to open the editor; press Edit again.' };
  const { drafts, accounts } = await draftsOf(allowed.action, roster, allowed.presser);
  const first = drafts[0];
  if (!first) return { tell: 'There is no draft to edit in this request.' };
  const view = editView({
    actionId: allowed.action.actionId,
    body: editableBody(first),
    accounts,
    hasSms: drafts.some((d) => d.sms !== undefined),
  });
  try {
    await (await ctx.web()).views.open({ trigger_id: payload.trigger_id, view });
    return {};
  } catch (error) {
    // The trigger lives 3 s; a slow moment means the person simply presses again.
    logger.warn('could not open the edit modal', { error });
    return { tell: 'The editor could not be opened in time; press Edit again.' };
  }
};

function valueOf(
  values: Record<string, Record<string, Record<string, unknown>>> | undefined,
  block: string,
  element: string,
) {
  return values?.[block]?.[element];
}

/** A submission read and checked: what keeps the modal open, or everything sending it needs. */
type Checked =
  | { ok: false; errors: Record<string, string> }
  | {
      ok: true;
      roster: Roster;
      action: ActionRecord;
      presser: Person;
      records: Awaited<ReturnType<typeof roundOf>>;
      text: string;
      findings: number;
      /** Set when the update went out of date meanwhile: it stays unsent. */
      resolvedAt?: string;
    };

/** Reads only (the table, the roster): safe while Slack waits for the answer, and again in the follow-up. */
async function checkEdit(ctx: InteractionContext, payload: ViewSubmission): Promise<Checked> {
  const values = payload.view.state?.values;
  const textValue = valueOf(values, BLOCK.draft, ELEMENT.text)?.value;
  const text = typeof textValue === 'string' ? textValue.trim() : '';
  if (text === '')
    return { ok: false, errors: { [BLOCK.draft]: 'Write the update, or close this and use the buttons.' } };
  const ticked = valueOf(values, BLOCK.confirm, ELEMENT.anyway)?.selected_options;
  const sendAnyway =
    Array.isArray(ticked) && ticked.some((o) => (o as { value?: unknown } | null)?.value === SEND_ANYWAY);

  const roster = await ctx.roster();
  const allowed = await authorise(ctx, 'owner-decision', payload.view.private_metadata);
  if (!allowed.ok) return { ok: false, errors: { [BLOCK.draft]: allowed.tell } };
  const { action, presser } = allowed;
  const records = await roundOf(action);
  const { incident, round } = records;
  const base = { ok: true as const, roster, action, presser, records, text };
  const resolvedAt = resolvedSince(incident, round);
  if (resolvedAt) return { ...base, findings: 0, resolvedAt };
  const findings = checkTone(text, {
    severity: incident.severity,
    policy: roster.policy,
    ...(round ? { phase: round.phase } : {}),
    company: roster.company.name,
  });
  if (findings.length > 0 && !sendAnyway) {
    return {
      ok: false,
      errors: {
        [BLOCK.draft]: findingsText(findings),
        [BLOCK.confirm]: 'Fix the text above, or tick this to send it as written.',
      },
    };
  }
  return { ...base, findings: findings.length };
}

export const submitEdit: ViewSubmissionHandler = {
  check: async (ctx, payload): Promise<ViewReply> => {
    const checked = await checkEdit(ctx, payload);
    return checked.ok ? undefined : { errors: checked.errors };
  },
  finish: async (ctx, payload) => {
    const checked = await checkEdit(ctx, payload);
    // Something changed since the modal closed (another press, the ask timed out): said to them alone.
    if (!checked.ok) return { tell: checked.errors[BLOCK.draft] ?? Object.values(checked.errors).join(' ') };
    const { roster, action, presser, records, text } = checked;
    if (checked.resolvedAt) {
      const left = await leaveUnsent({ ctx, roster, action, presser, resolvedAt: checked.resolvedAt });
      return left.ok ? {} : { tell: left.tell };
    }
    const { drafts } = await draftsOf(action, roster, presser, records);
    const edited = drafts.map((draft) => withEditedBody(draft, text));
    const answer: OwnerAnswer = { decision: 'send', senderId: presser.id };
    const settled = await settle({
      roster,
      action,
      presser,
      decision: 'send',
      output: answer,
      now: ctx.now,
      beforeHandOver: () =>
        saveOwnerEdit(action.incidentId, action.round, action.ownerId, edited, {
          by: presser.id,
          at: ctx.now.toISOString(),
        }),
      undo: () => revertOwnerEdit(action.incidentId, action.round, action.ownerId),
    });
    if (!settled.ok) return { tell: settled.tell };
    const shown = sentAsEdited({
      presser,
      coveredFor: presser.id === action.ownerId ? undefined : personName(roster, action.ownerId),
      pressedAt: settled.pressedAt,
      findings: checked.findings,
      text,
    });
    await showDecision(await ctx.web(), action, shown.outcome, undefined, shown.summary, {
      incidentId: action.incidentId,
      round: action.round,
      senderId: presser.id,
    });
    return {};
  },
};
