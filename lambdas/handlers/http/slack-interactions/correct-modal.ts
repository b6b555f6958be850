import { checkTone } from '../../../domain/index.ts';
import { personName, type Person, type Roster } from '../../../domain/roster.ts';
import {
  CORRECT_BLOCK as BLOCK,
  CORRECT_ELEMENT as ELEMENT,
  SEND_ANYWAY,
  correctionOutcome,
  targetOf,
} from '../../../messages/correct-modal.ts';
import { findingsText } from '../../../messages/edit-modal.ts';
import { openCorrection } from '../../../services/correction-modal.ts';
import { deliverCorrection, mayCorrect, sentUpdate, type SentUpdate } from '../../../services/corrections.ts';
import type { BlockActionHandler, InteractionContext, ViewSubmissionHandler } from './dispatch.ts';
import type { ViewSubmission } from './payload.ts';

/**
 * Correcting an update that went out: the Correct button on the sender's "sent" DM opens the modal
 * (as `/comms correct` does); the submission goes through the same tone check as the Edit modal, whose
 * findings keep the modal open, and is then delivered in the follow-up (services/corrections.ts).
 */

/** Well inside the function's 10 s: whatever is left is finished by sending the same text again. */
const CORRECTION_BUDGET_MS = 6_000;

type Allowed = { ok: true; roster: Roster; person: Person; update: SentUpdate } | { ok: false; tell: string };

/** The update the control names, and whether this person may correct it. Reads only. */
async function allowed(ctx: InteractionContext, metadata: string | undefined): Promise<Allowed> {
  const target = targetOf(metadata);
  if (!target)
    return { ok: false, tell: 'This correction no longer names an update; run `/comms correct` again.' };
  const roster = await ctx.roster();
  const person = roster.people.find((p) => p.slackUserId === ctx.slackUserId);
  const update = await sentUpdate(target);
  if (typeof update === 'string') return { ok: false, tell: update };
  if (!person || !mayCorrect(update, person.id))
    return {
      ok: false,
      tell: `Only ${personName(roster, update.senderId)}, who sent this update, or the incident's CMOC can correct it. Nothing changed.`,
    };
  return { ok: true, roster, person, update };
}

/** Correct on the "sent" DM: its value names the update (incident, round, sender). */
export const correctButton: BlockActionHandler = async (ctx, pressed, payload) => {
  const ok = await allowed(ctx, pressed.value);
  if (!ok.ok) return { tell: ok.tell };
  if (!payload.trigger_id)
    return { tell: 'Slack did not say where to open the correction; press Correct again.' };
  const said = await openCorrection(await ctx.web(), payload.trigger_id, ok.roster, ok.update);
  return said ? { tell: said } : {};
};

const valueOf = (payload: ViewSubmission, block: string, element: string) =>
  payload.view.state?.values[block]?.[element];

type Checked =
  { ok: false; errors: Record<string, string> } | (Extract<Allowed, { ok: true }> & { text: string });

async function checkCorrection(ctx: InteractionContext, payload: ViewSubmission): Promise<Checked> {
  const raw = valueOf(payload, BLOCK.draft, ELEMENT.text)?.value;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '')
    return {
      ok: false,
      errors: { [BLOCK.draft]: 'Write the corrected update, or close this to leave it as sent.' },
    };
  const ok = await allowed(ctx, payload.view.private_metadata);
  if (!ok.ok) return { ok: false, errors: { [BLOCK.draft]: ok.tell } };
  const ticked = valueOf(payload, BLOCK.confirm, ELEMENT.anyway)?.selected_options;
  const anyway =
    Array.isArray(ticked) && ticked.some((o) => (o as { value?: unknown } | null)?.value === SEND_ANYWAY);
  const { incident, round } = ok.update;
  const findings = checkTone(text, {
    severity: incident.severity,
    policy: ok.roster.policy,
    phase: round.phase,
    company: ok.roster.company.name,
  });
  if (findings.length > 0 && !anyway)
    return {
      ok: false,
      errors: {
        [BLOCK.draft]: findingsText(findings),
        [BLOCK.confirm]: 'Fix the text above, or tick this to send it as written.',
      },
    };
  return { ...ok, text };
}

export const submitCorrection: ViewSubmissionHandler = {
  check: async (ctx, payload) => {
    const checked = await checkCorrection(ctx, payload);
    return checked.ok ? undefined : { errors: checked.errors };
  },
  finish: async (ctx, payload) => {
    const checked = await checkCorrection(ctx, payload);
    if (!checked.ok) return { tell: checked.errors[BLOCK.draft] ?? Object.values(checked.errors).join(' ') };
    const report = await deliverCorrection({
      roster: checked.roster,
      update: checked.update,
      text: checked.text,
      by: checked.person.id,
      at: ctx.now,
      deadline: Date.now() + CORRECTION_BUDGET_MS,
    });
    return { tell: correctionOutcome(report) };
  },
};
