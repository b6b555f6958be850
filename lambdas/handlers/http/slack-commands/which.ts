import { findIncident, listIncidents } from '../../../adapters/incidents.ts';
import { isOpenIncident, type IncidentRecord } from '../../../domain/records/incident.ts';
import { looksLikeIncidentId, splitFirst } from './args.ts';
import type { CommandContext } from './context.ts';
import { incidentOfChannel } from '../../../adapters/incident-ids.ts';

export type Which = { ok: true; incident: IncidentRecord; rest: string } | { ok: false; reply: string };

/** Incidents listed when deciding "the only open one"; far more than are ever open at once. */
const RECENT = 50;

/**
 * Which incident a command means, in this order: an id typed as the first word; the incident this channel
 * belongs to (declared in it, or its incident channel: services/incident-channel.ts binds it); the only
 * open incident. `status` falls back to the latest incident when none is open.
 */
export async function whichIncident(
  ctx: CommandContext,
  text: string,
  purpose: 'change' | 'status',
): Promise<Which> {
  const { first, rest } = splitFirst(text);
  if (first && looksLikeIncidentId(first)) {
    const named = await findIncident(first);
    if (named) return { ok: true, incident: named, rest };
    // "DB2 failover done" is text that starts with an id-like word, not an unknown id.
    if (!rest) return { ok: false, reply: `There is no incident ${first}.` };
  }
  if (ctx.channelId) {
    const bound = await incidentOfChannel(ctx.channelId, ctx.now);
    const incident = bound ? await findIncident(bound) : undefined;
    if (incident) return { ok: true, incident, rest: text };
  }
  const recent = await listIncidents(RECENT);
  const open = recent.filter(isOpenIncident);
  if (open.length === 1 && open[0]) return { ok: true, incident: open[0], rest: text };
  if (open.length > 1) {
    const list = open.map((i) => `\`${i.incidentId}\` (${i.severity} · ${i.title})`).join(', ');
    return {
      ok: false,
      reply: `Several incidents are open: ${list}. Name one, e.g. \`/comms ${purpose === 'status' ? 'status' : 'update'} ${open[0]?.incidentId ?? ''} …\``,
    };
  }
  if (purpose === 'status' && recent[0]) return { ok: true, incident: recent[0], rest: text };
  return { ok: false, reply: 'No incident is open. Declare one with `/comms declare`.' };
}
