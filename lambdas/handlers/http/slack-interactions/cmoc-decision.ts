import { levelNames } from '../../../domain/index.ts';
import { completeAction } from '../../../adapters/actions.ts';
import { signalIncident, type Signal } from '../../../adapters/incident-lifecycle.ts';
import { findIncident } from '../../../adapters/incidents.ts';
import { countedAlready } from '../../../domain/records/action.ts';
import { incidentNow } from '../../../domain/records/incident.ts';
import { CMOC_BUTTONS, SEVERITY_SELECT } from '../../../messages/cmoc-buttons.ts';
import { alreadyDone, pressedOutcome, PRESS_REFUSED } from '../../../messages/ask-outcome.ts';
import type { ReviewAnswer } from '../../../contract/payloads.ts';
import type { BlockActionHandler } from './dispatch.ts';
import { showDecision } from './owner-dm.ts';
import { authorise, settle } from './press.ts';

const LABELS: Record<string, string> = {
  [CMOC_BUTTONS.start]: 'started customer comms',
  [CMOC_BUTTONS.noImpact]: 'said there is no customer impact',
  [CMOC_BUTTONS.approve]: 'approved the draft',
  [CMOC_BUTTONS.sendNow]: 'asked for an update now',
};

/**
 * The CMOC's controls ("cmoc:…"). "Approve draft" completes the parked review task, like an owner's
 * button. The others are decisions about the incident: they are written to the incident and handed to
 * its execution as a `cmoc_update` (or `severity_changed`) event, the same way PagerDuty's events arrive,
 * so a decision made while the execution is busy is read at its next wait and never lost.
 */
export const cmocButton: BlockActionHandler = async (ctx, pressed, payload) => {
  const roster = await ctx.roster();
  const isSelect = pressed.action_id === SEVERITY_SELECT;
  // A select has no value of its own: its action id rides in the block id.
  const actionId = isSelect ? pressed.block_id?.split(':')[1] : pressed.value;
  const allowed = await authorise(ctx, 'cmoc-decision', actionId);
  if (!allowed.ok) return { tell: allowed.tell };
  const { action, presser } = allowed;
  const incident = await findIncident(action.incidentId);
  if (!incident) return { tell: PRESS_REFUSED.noLongerValid };
  const pressedAt = ctx.now.toISOString();
  const event = (type: Signal['type'], changes: Signal['changes'], id: string): Signal => ({
    eventId: `cmoc-${id}`,
    type,
    receivedAt: pressedAt,
    ...(changes ? { changes } : {}),
  });

  if (isSelect) {
    const severity = levelNames(roster.policy).find((s) => s === pressed.selected_option?.value);
    if (!severity) return { tell: PRESS_REFUSED.noLongerValid };
    if (severity === incident.severity) return { tell: `It is already ${severity}; nothing changed.` };
    await signalIncident(incident.incidentId, event('severity_changed', { severity }, ctx.id));
    return {};
  }

  if (pressed.action_id === CMOC_BUTTONS.approve) {
    const answer: ReviewAnswer = { approved: true, by: presser.id };
    const settled = await settle({
      roster,
      action,
      presser,
      decision: 'approve',
      output: answer,
      now: ctx.now,
    });
    if (!settled.ok) return { tell: settled.tell };
  } else {
    // The same press delivered again finishes what it started: what it changed is no reason to refuse it.
    const repeat = countedAlready(action, presser.id, pressedAt);
    const refusal = repeat ? undefined : refuse(pressed.action_id, incident);
    if (refusal) return { tell: refusal };
    const decision = pressed.action_id.slice('cmoc:'.length);
    const claimed =
      repeat || (await completeAction(action.actionId, { decision, pressedBy: presser.id, pressedAt }));
    if (!claimed) {
      return { tell: alreadyDone(roster, { ...action, status: 'done' }) };
    }
    const signal =
      pressed.action_id === CMOC_BUTTONS.sendNow
        ? event(
            'cmoc_update',
            { updateRequestedAt: incidentNow(incident, Date.now()).toISOString() },
            action.actionId,
          )
        : event(
            'cmoc_update',
            { commsDecision: pressed.action_id === CMOC_BUTTONS.start ? 'start' : 'no_impact' },
            action.actionId,
          );
    await signalIncident(incident.incidentId, signal, incident);
  }
  const label = LABELS[pressed.action_id] ?? 'decided';
  await showDecision(await ctx.web(), action, pressedOutcome(presser, label, pressedAt), payload);
  return {};
};

/** A decision that can no longer change anything, said as such; undefined when it still can. */
function refuse(
  button: string,
  incident: NonNullable<Awaited<ReturnType<typeof findIncident>>>,
): string | undefined {
  if (incident.status === 'resolved') return 'The incident is resolved; nothing changed.';
  // A reopened incident's new execution has sent nothing until it sends a round of its own.
  const started =
    (incident.rounds ?? 0) > (incident.roundsAtReopen ?? 0) || incident.commsDecision === 'start';
  if (button === CMOC_BUTTONS.start && started)
    return 'Customer comms have already started; nothing changed.';
  if (button === CMOC_BUTTONS.noImpact && started) {
    return 'Customer comms have already started (a SEV1 starts on its own), so customers have been told; resolve the incident to send the close. Nothing changed.';
  }
  return undefined;
}
