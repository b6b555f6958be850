import { slack } from '../../../adapters/slack.ts';
import { openCorrection } from '../../../services/correction-modal.ts';
import { lastSentUpdate } from '../../../services/corrections.ts';
import type { Subcommand } from './context.ts';
import { whichIncident } from './which.ts';

/**
 * `/comms correct [incident-id]`: opens the last update the person sent in the incident for correcting
 * (for the incident's CMOC who sent none, the last update anyone sent). Which incident: as `update` and
 * `resolve` decide it. The modal's submission does the rest (slack-interactions/correct-modal.ts).
 */
export const correct: Subcommand = async (ctx, args) => {
  const which = await whichIncident(ctx, args.trim(), 'change');
  if (!which.ok) return which.reply;
  const { incident } = which;
  if (!ctx.person) return 'Only people in the incident-comms roster can correct an update.';
  const update = await lastSentUpdate(incident, ctx.person.id);
  if (typeof update === 'string') return update;
  if (!ctx.triggerId) return 'Slack did not say where to open the correction; type the command again.';
  const said = await openCorrection(await slack(), ctx.triggerId, ctx.roster, update);
  return (
    said ??
    `Opened the correction of update ${update.round.round} of *${incident.incidentId}* (${incident.title}).`
  );
};
