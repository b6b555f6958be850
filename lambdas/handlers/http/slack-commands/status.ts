import { logOf } from '../../../adapters/notification-log.ts';
import { getRound } from '../../../adapters/rounds.ts';
import { notDraftedYet, statusReply } from '../../../messages/comms-status.ts';
import type { Subcommand } from './context.ts';
import { whichIncident } from './which.ts';

/** `/comms status [id]`: per account of the latest round, who has been told (how, by whom) and who not yet. */
export const status: Subcommand = async (ctx, text) => {
  const which = await whichIncident(ctx, text, 'status');
  if (!which.ok) return which.reply;
  const { incident } = which;
  const round = incident.rounds > 0 ? await getRound(incident.incidentId, incident.rounds) : undefined;
  if (!round) return notDraftedYet(ctx.roster, incident);
  const log = await logOf(incident.incidentId, round.round);
  return statusReply({ roster: ctx.roster, incident, round, log });
};
