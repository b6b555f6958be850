import { checkTone, levelNames, policyFor } from '../../../domain/index.ts';
import { broadcastIdOf, createBroadcast, findBroadcast } from '../../../adapters/broadcasts.ts';
import type { AudienceFilter, BroadcastRecord } from '../../../domain/records/broadcast.ts';
import { findIncident } from '../../../adapters/incidents.ts';
import type { IncidentRecord } from '../../../domain/records/incident.ts';
import { startBroadcastExecution } from '../../../adapters/stepfunctions.ts';
import { audienceWithIncident } from '../../../domain/audience.ts';
import { engagementChannelOf } from '../../../domain/replies.ts';
import { progressOf } from '../../../services/delivery/progress.ts';
import { progressLine } from '../../../messages/broadcast-progress.ts';
import { BROADCAST_USAGE } from '../../../messages/comms-help.ts';
import { ArgumentError, splitFirst } from './args.ts';
import { isCmoc, type CommandContext, type Subcommand } from './context.ts';

interface Request {
  filter: AudienceFilter;
  reason: 'incident' | 'security' | 'maintenance';
  engagementChannelId?: string;
  text: string;
}

const KEYS = new Set([
  'incident',
  'owners',
  'exclude',
  'region',
  'regions',
  'tier',
  'tiers',
  'services',
  'engagement',
]);
const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** Leading `key=value` words (and `security` / `maintenance`) are filters; the rest, or what follows `--`, the message. */
export function parseBroadcast(args: string): Request {
  const filter: AudienceFilter = {};
  let reason: Request['reason'] | undefined;
  let engagementChannelId: string | undefined;
  let rest = args.trim();
  for (;;) {
    const { first, rest: after } = splitFirst(rest);
    if (first === '--') {
      rest = after;
      break;
    }
    const word = first.toLowerCase();
    if (word === 'security' || word === 'maintenance') {
      reason = word;
      rest = after;
      continue;
    }
    const match = /^([a-z]+)=(.+)$/i.exec(first);
    if (!match || !KEYS.has(match[1]!.toLowerCase())) break;
    const [, rawKey, value] = match as unknown as [string, string, string];
    const key = rawKey.toLowerCase();
    if (key === 'incident') {
      filter.incidentId = value;
      reason ??= 'incident';
    } else if (key === 'owners') {
      if (value !== 'online' && value !== 'offline')
        throw new ArgumentError('`owners=` is `online` or `offline`.');
      filter.owners = value;
    } else if (key === 'exclude') filter.excludeOwners = list(value);
    else if (key === 'region' || key === 'regions') filter.regions = list(value).map((r) => r.toLowerCase());
    else if (key === 'tier' || key === 'tiers') {
      const tiers = list(value);
      if (!tiers.every((t) => t === 'standard' || t === 'high-touch'))
        throw new ArgumentError('`tier=` is `standard` or `high-touch` (or both, comma-separated).');
      filter.tiers = tiers;
    } else if (key === 'services') filter.services = list(value);
    else if (key === 'engagement') {
      if (!/^[CG][A-Z0-9]{2,}$/.test(value))
        throw new ArgumentError('`engagement=` is a Slack channel id (C…).');
      engagementChannelId = value;
    }
    rest = after;
  }
  if (!reason)
    throw new ArgumentError(
      'Say why: `incident=<id>`, or `security` / `maintenance` when there is no incident.',
    );
  if (!rest) throw new ArgumentError('The message is missing: put it after the filters (or after `--`).');
  return { filter, reason, text: rest, ...(engagementChannelId ? { engagementChannelId } : {}) };
}

/** The same request on the same day names the same broadcast: a repeated command starts nothing new. */
export function broadcastIdFor(requestedBy: string, request: Request, day: string): string {
  return broadcastIdOf(JSON.stringify([requestedBy, request.reason, request.text, request.filter, day]));
}

async function checked(ctx: CommandContext, request: Request): Promise<IncidentRecord | undefined> {
  const person = ctx.person;
  if (!person) throw new ArgumentError('Only people in the roster can broadcast.');
  const incident = request.filter.incidentId ? await findIncident(request.filter.incidentId) : undefined;
  if (request.filter.incidentId && !incident)
    throw new ArgumentError(`There is no incident ${request.filter.incidentId}.`);
  if (!isCmoc(ctx.roster, person.id, incident))
    throw new ArgumentError(
      "Broadcasts are the CMOC's call: ask the incident's CMOC (or someone on the CMOC rota).",
    );
  if (
    incident &&
    request.reason === 'incident' &&
    !policyFor(incident.severity, ctx.roster.policy).broadcastAllowed
  )
    throw new ArgumentError(
      `${incident.severity} does not allow a company broadcast (the handbook keeps it for SEV1, security and ` +
        'planned maintenance); owners send to their accounts. Add `security` if it is one.',
    );
  return incident;
}

async function preview(ctx: CommandContext, args: string): Promise<string> {
  const request = parseBroadcast(args);
  const incident = await checked(ctx, request);
  const audience = audienceWithIncident(ctx.roster, request.filter, incident, ctx.now.getTime());
  const names = audience.targets.map(
    (t) => ctx.roster.accounts.find((a) => a.id === t.accountId)?.name ?? t.accountId,
  );
  // Without an incident (security, planned work), hold it to the most severe level's bar.
  const policy = ctx.roster.policy;
  const tone = checkTone(request.text, { severity: incident?.severity ?? levelNames(policy)[0], policy });
  return [
    `*Preview* — as ${ctx.roster.company.name}, to ${audience.targets.length} customer channel(s): ` +
      `${names.slice(0, 15).join(', ')}${names.length > 15 ? `, … (${names.length - 15} more)` : ''}.`,
    ...(audience.withoutSlack.length > 0
      ? [`Not reachable in Slack (no channel): ${audience.withoutSlack.length} account(s).`]
      : []),
    ...(tone.length > 0 ? [`Tone: ${tone.map((t) => t.message).join(' ')}`] : []),
    request.text
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n'),
    'Nothing was sent. Use `send` instead of `preview` to send it.',
  ].join('\n');
}

async function send(ctx: CommandContext, args: string): Promise<string> {
  const request = parseBroadcast(args);
  const incident = await checked(ctx, request);
  const requestedBy = ctx.person!.id;
  const broadcastId = broadcastIdFor(requestedBy, request, ctx.now.toISOString().slice(0, 10));
  const record: BroadcastRecord = {
    broadcastId,
    text: request.text,
    filter: request.filter,
    requestedBy,
    reason:
      incident && request.reason === 'incident'
        ? `${incident.severity} ${incident.incidentId}`
        : request.reason,
    ...(incident ? { incidentId: incident.incidentId } : {}),
    ...(request.engagementChannelId ? { engagementChannelId: request.engagementChannelId } : {}),
    createdAt: ctx.now.toISOString(),
    status: 'requested',
  };
  const created = await createBroadcast(record);
  if (!(await startBroadcastExecution(broadcastId)))
    return `This broadcast was already sent (\`${broadcastId}\`): \`/comms broadcast status ${broadcastId}\`. Change the message to send another.`;
  const where = engagementChannelOf(ctx.roster, request);
  return [
    `${created ? 'Broadcast started' : 'Broadcast already running'}: \`${broadcastId}\`, as ${ctx.roster.company.name}, each channel once.`,
    where ? `Progress and replies: <#${where}>.` : 'Progress: in your DMs.',
    `\`/comms broadcast status ${broadcastId}\``,
  ].join('\n');
}

async function status(ctx: CommandContext, args: string): Promise<string> {
  const { first: id } = splitFirst(args);
  if (!id) throw new ArgumentError('Which broadcast? `/comms broadcast status <broadcast-id>`');
  const broadcast = await findBroadcast(id);
  if (!broadcast) return `There is no broadcast ${id}.`;
  const progress = await progressOf(broadcast);
  return `Broadcast \`${id}\` (${broadcast.reason}, ${broadcast.status}): ${progressLine(progress, broadcast.status === 'finished')}.`;
}

/**
 * `/comms broadcast` — the handbook's Pylon flow: for a SEV1 (or any severity whose policy allows it), a
 * security issue or planned maintenance, the CMOC sends one message as the company to every customer Slack
 * channel, or to an audience filter.
 *
 *   /comms broadcast preview <filters> -- <message>   who it would reach, tone findings; nothing is sent
 *   /comms broadcast send <filters> -- <message>      starts it (its own Step Functions execution)
 *   /comms broadcast status <broadcast-id>            n of N, failures, ETA
 *
 * Filters (all optional except the reason): `incident=<id>` or `security` or `maintenance` (the reason),
 * `owners=online|offline`, `exclude=<person>,…`, `region=<americas|emea|apac|us|eu…>,…`,
 * `tier=standard|high-touch`, `services=<service>,…`, `engagement=<channel id>`.
 */
export const broadcast: Subcommand = async (ctx, args) => {
  const { first, rest } = splitFirst(args);
  switch (first.toLowerCase()) {
    case 'preview':
      return preview(ctx, rest);
    case 'send':
      return send(ctx, rest);
    case 'status':
      return status(ctx, rest);
    default:
      throw new ArgumentError(
        `\`/comms broadcast\` needs \`preview\`, \`send\` or \`status\`.\n${BROADCAST_USAGE}`,
      );
  }
};
