import type { Person, Roster } from '../../../domain/roster.ts';
import type { ActionRecord } from '../../../domain/records/action.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import type { IncidentRecord } from '../../../domain/records/incident.ts';
import { getRound } from '../../../adapters/rounds.ts';
import type { RoundRecord } from '../../../domain/records/round.ts';
import type { AskSkipped } from '../../../contract/payloads.ts';
import { closeAsks } from '../../../services/asks.ts';
import { leftUnsentOutcome } from '../../../messages/ask-outcome.ts';
import { isOutOfDate } from '../../../domain/out-of-date.ts';
import type { InteractionContext } from './dispatch.ts';
import { showDecision } from './owner-dm.ts';
import type { BlockActions } from './payload.ts';
import { settle, type Settled } from './press.ts';

/** The incident and round an ask belongs to, read once per press. */
export async function roundOf(
  action: ActionRecord,
): Promise<{ incident: IncidentRecord; round: RoundRecord | undefined }> {
  const [incident, round] = await Promise.all([
    getIncident(action.incidentId),
    getRound(action.incidentId, action.round),
  ]);
  return { incident, round };
}

/** When the incident resolved, if the round's update went out of date meanwhile (domain/out-of-date.ts). */
export function resolvedSince(incident: IncidentRecord, round: RoundRecord | undefined): string | undefined {
  return isOutOfDate(incident, round) ? (incident.resolvedAt ?? new Date().toISOString()) : undefined;
}

/**
 * "Send" on an update that went out of date: nothing goes to customers (the resolution does), the round is
 * told the update stays unsent — as the ask itself says when it comes too late — and the DM says why.
 */
export async function leaveUnsent(input: {
  ctx: InteractionContext;
  roster: Roster;
  action: ActionRecord;
  presser: Person;
  resolvedAt: string;
  payload?: BlockActions;
}): Promise<Settled> {
  const { ctx, roster, action, presser, resolvedAt, payload } = input;
  const output: AskSkipped = { decision: 'stale' };
  const settled = await settle({ roster, action, presser, decision: 'stale', output, now: ctx.now });
  if (settled.ok) {
    await showDecision(await ctx.web(), action, leftUnsentOutcome(resolvedAt), payload);
    // A backup's press: the owner's DM, still open since their time ran out, is no longer needed either.
    await closeAsks(action, { kind: 'resolved', resolvedAt });
  }
  return settled;
}
