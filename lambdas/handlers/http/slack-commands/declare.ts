import { affectedAccounts, cmocAt, formatClock, maintenanceLevel, ownersOf } from '../../../domain/index.ts';
import { knownRegions, knownServices, personName, type Roster } from '../../../domain/roster.ts';
import { declareIncident, executionNameFor } from '../../../adapters/incident-lifecycle.ts';
import { findIncident } from '../../../adapters/incidents.ts';
import type { IncidentRecord } from '../../../domain/records/incident.ts';
import { parseDeclare, parseMaintenance } from './args.ts';
import type { CommandContext, Subcommand } from './context.ts';
import {
  claimDeclaration,
  recordDeclared,
  releaseDeclaration,
  type Declaration,
} from '../../../adapters/declare-dedup.ts';
import { bindChannel, incidentOfChannel, nextIncidentId } from '../../../adapters/incident-ids.ts';

function reach(roster: Roster, services: string[], regions: string[]): string {
  const accounts = affectedAccounts(roster, { services, regions });
  const owners = ownersOf(accounts).size;
  return `${accounts.length} account${accounts.length === 1 ? '' : 's'} of ${owners} owner${owners === 1 ? '' : 's'}`;
}

/** What the declarer needs next: who is reached, who is CMOC, and how to refer to the incident. */
function nextSteps(roster: Roster, incident: IncidentRecord, named: boolean, boundHere: boolean): string[] {
  const scope = named ? incident.services.join(', ') : 'every service';
  return [
    `Affects ${scope}: ${reach(roster, incident.services, [])}. CMOC on duty: ${personName(roster, incident.cmocId)}.`,
    boundHere
      ? 'In this channel, `/comms update <text>` and `/comms resolve [summary]` now mean this incident.'
      : `Refer to it as \`${incident.incidentId}\`.`,
  ];
}

/** The answer to an honest duplicate: the incident the first command declared; nothing is started. */
async function alreadyDeclared(ctx: CommandContext, incidentId: string, named: boolean): Promise<string> {
  const incident = await findIncident(incidentId);
  if (!incident) return `Already declared as \`${incidentId}\`.`;
  const at = formatClock(new Date(incident.startedAt), 'UTC');
  const boundHere =
    ctx.channelId !== undefined && (await incidentOfChannel(ctx.channelId, ctx.now)) === incidentId;
  return [
    `Already declared as \`${incidentId}\` at ${at} by ${ctx.person?.name ?? 'you'}: ${incident.severity} · ${incident.title}`,
    ...nextSteps(ctx.roster, incident, named, boundHere),
  ].join('\n');
}

/** What is wrong with a declaration's arguments, thrown before anything runs (ArgumentError). */
export function checkDeclare(ctx: CommandContext, text: string): void {
  parseDeclare(text, knownServices(ctx.roster), ctx.roster.policy);
}

/**
 * `/comms declare`: the same as a PagerDuty trigger — one incident record, one execution, the CMOC on duty
 * recorded — with a generated id and `source: 'slack'`. The channel it was typed in is bound to it. The same
 * person declaring the same thing again within minutes gets the first incident back (declare-dedup.ts).
 */
export const declare: Subcommand = async (ctx, text) => {
  const all = knownServices(ctx.roster);
  const args = parseDeclare(text, all, ctx.roster.policy);
  const services = args.services.length > 0 ? args.services : all;
  const named = args.services.length > 0;
  const person = ctx.person;
  const declaration: Declaration | undefined = person && {
    personId: person.id,
    severity: args.severity,
    title: args.title,
    services,
  };
  let claimedAt: number | undefined;
  if (declaration) {
    const claim = await claimDeclaration(declaration, ctx.now);
    if (claim.kind === 'declared') return alreadyDeclared(ctx, claim.incidentId, named);
    if (claim.kind === 'in-flight') {
      return 'The same declaration from you is being recorded right now; `/comms status` shows it in a moment.';
    }
    claimedAt = claim.claimedAt;
  }

  const cmoc = cmocAt(ctx.roster, ctx.now).person;
  let incident: IncidentRecord;
  try {
    const incidentId = await nextIncidentId('S', ctx.now);
    incident = {
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
  } catch (error) {
    if (declaration && claimedAt !== undefined) await releaseDeclaration(declaration, claimedAt);
    throw error;
  }
  if (declaration) await recordDeclared(declaration, incident.incidentId);
  if (ctx.channelId) await bindChannel(ctx.channelId, incident.incidentId, ctx.now);
  return [
    `Declared *${incident.incidentId}* — ${args.severity} · ${args.title}`,
    ...nextSteps(ctx.roster, incident, named, ctx.channelId !== undefined),
  ].join('\n');
};

/** What is wrong with a maintenance window's arguments, thrown before anything runs (ArgumentError). */
export function checkMaintenance(ctx: CommandContext, text: string): void {
  parseMaintenance(text, knownRegions(ctx.roster), ctx.now);
}

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
    severity: maintenanceLevel(ctx.roster.policy),
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
