import { affectedAccounts, cmocAt, ownersOf } from '../core/index.ts';
import type { Roster } from '../core/roster.ts';
import { declareIncident, executionNameFor } from '../adapters/incident-lifecycle.ts';
import type { IncidentRecord } from '../adapters/incidents.ts';
import { parseDeclare, parseMaintenance } from './args.ts';
import { knownRegions, knownServices, type Subcommand } from './context.ts';
import { bindChannel, nextIncidentId } from './incident-ids.ts';

function reach(roster: Roster, services: string[], regions: string[]): string {
  const accounts = affectedAccounts(roster, { services, regions });
  const owners = ownersOf(accounts).size;
  return `${accounts.length} account${accounts.length === 1 ? '' : 's'} of ${owners} owner${owners === 1 ? '' : 's'}`;
}

/**
 * `/comms declare`: the same as a PagerDuty trigger — one incident record, one execution, the CMOC on duty
 * recorded — with a generated id and `source: 'slack'`. The channel it was typed in is bound to it.
 */
export const declare: Subcommand = async (ctx, text) => {
  const all = knownServices(ctx.roster);
  const args = parseDeclare(text, all);
  const services = args.services.length > 0 ? args.services : all;
  const incidentId = await nextIncidentId('S', ctx.now);
  const cmoc = cmocAt(ctx.roster, ctx.now).person;
  const incident: IncidentRecord = {
    incidentId,
    title: args.title,
    severity: args.severity,
    status: 'triggered',
    services,
    regions: [],
    source: 'slack',
    startedAt: ctx.now.toISOString(),
    cmocId: cmoc.id,
    executionName: executionNameFor(incidentId),
    rounds: 0,
  };
  await declareIncident(incident);
  if (ctx.channelId) await bindChannel(ctx.channelId, incidentId, ctx.now);
  const scope = args.services.length > 0 ? services.join(', ') : 'every service';
  return [
    `Declared *${incidentId}* — ${args.severity} · ${args.title}`,
    `Affects ${scope}: ${reach(ctx.roster, services, [])}. CMOC on duty: ${cmoc.name}.`,
    ctx.channelId
      ? 'In this channel, `/comms update <text>` and `/comms resolve [summary]` now mean this incident.'
      : `Refer to it as \`${incidentId}\`.`,
  ].join('\n');
};

/**
 * `/comms maintenance`: a SEV4 planned-maintenance incident. The workflow announces it before the window
 * and confirms after it, reading `incident.maintenance`. Services: those the system names, else all.
 */
export const maintenance: Subcommand = async (ctx, text) => {
  const args = parseMaintenance(text, knownRegions(ctx.roster), ctx.now);
  const all = knownServices(ctx.roster);
  const named = all.filter((s) =>
    args.system
      .toLowerCase()
      .split(/[\s,/]+/)
      .includes(s.toLowerCase()),
  );
  const services = named.length > 0 ? named : all;
  const incidentId = await nextIncidentId('M', ctx.now);
  const cmoc = cmocAt(ctx.roster, ctx.now).person;
  await declareIncident({
    incidentId,
    title: `Maintenance – ${args.system}`,
    severity: 'SEV4',
    status: 'triggered',
    services,
    regions: args.regions,
    source: 'slack',
    startedAt: ctx.now.toISOString(),
    cmocId: cmoc.id,
    executionName: executionNameFor(incidentId),
    rounds: 0,
    maintenance: { system: args.system, start: args.start, end: args.end, regions: args.regions },
  });
  const where = args.regions.length > 0 ? args.regions.join(', ') : 'all regions';
  return [
    `Planned maintenance *${incidentId}* — ${args.system}, ${args.start.slice(0, 16).replace('T', ' ')}–${args.end.slice(0, 16).replace('T', ' ')} UTC, ${where}.`,
    `Affects ${reach(ctx.roster, services, args.regions)}; customers hear before and after the window. CMOC on duty: ${cmoc.name}.`,
  ].join('\n');
};
