import { policyFor, type PolicyConfig } from '../../../domain/index.ts';
import { personName, type Person, type Roster } from '../../../domain/roster.ts';
import { findIncident, listIncidents, updateIncident } from '../../../adapters/incidents.ts';
import type { IncidentRecord } from '../../../domain/records/incident.ts';
import { logger } from '../../../adapters/logger.ts';
import { postDm } from '../../../adapters/slack.ts';
import { leadNamed } from '../../../messages/cmoc-notice.ts';
import { ArgumentError, looksLikeIncidentId, splitFirst } from './args.ts';
import { isCmoc, type CommandContext, type Subcommand } from './context.ts';
import { incidentOfChannel } from '../../../adapters/incident-ids.ts';

/** Incidents looked through for the one a bare `/comms lead @person` means. */
const RECENT = 50;

const USAGE = 'Name a person in the roster, e.g. `/comms lead @sam` or `/comms lead <incident-id> @sam`.';

/**
 * `/comms lead [incident-id] @person`: the CMOC names the engineering incident lead by hand (PagerDuty's
 * assignee names one on its own when the roster knows their PagerDuty user). Only a roster person id is
 * recorded; the write-up reminders look the person up when they are sent.
 */
export const lead: Subcommand = async (ctx, args) => {
  const { first, rest } = splitFirst(args.trim());
  if (!first) throw new ArgumentError(USAGE);
  const named = rest !== '' && looksLikeIncidentId(first);
  const who = named ? rest : args.trim();
  const found = named ? await namedIncident(first) : await impliedIncident(ctx);
  if (!found.ok) return found.reply;
  const { incident } = found;

  if (!ctx.person || !isCmoc(ctx.roster, ctx.person.id, incident)) {
    return `Naming the engineering lead is the CMOC's call: ask ${personName(ctx.roster, incident.cmocId)}, the CMOC of ${incident.incidentId}. Nothing changed.`;
  }
  const matches = peopleMatching(ctx.roster, who);
  if (matches.length === 0) {
    return `${who.slice(0, 80)} is not in the incident-comms roster, so they cannot be the engineering lead. Nothing changed. ${USAGE}`;
  }
  if (matches.length > 1) {
    const list = matches.map((p) => `${p.name} (\`${p.id}\`)`).join(', ');
    return `${who.slice(0, 80)} could be ${list}: use their id. Nothing changed.`;
  }
  const person = matches[0] as Person;
  const title = `*${incident.incidentId}* (${incident.title})`;
  if (incident.leadId === person.id) return `${person.name} is already the engineering lead of ${title}.`;
  await updateIncident(incident.incidentId, { leadId: person.id });
  const was = incident.leadId ? ` instead of ${personName(ctx.roster, incident.leadId)}` : '';
  const told = person.id === ctx.person.id ? '' : await tellLead(person, ctx.person, incident);
  return `${person.name} is now the engineering lead of ${title}${was}; the write-up reminders go to them.${told}`;
};

/** The lead hears it from the product, not second-hand; a failed DM is said, and changes nothing else. */
async function tellLead(person: Person, by: Person, incident: IncidentRecord): Promise<string> {
  try {
    await postDm(person.slackUserId, { text: leadNamed(incident, by) });
    return '';
  } catch (error) {
    logger.warn('could not tell the new engineering lead', { error });
    return ` (Slack did not take the DM telling ${person.name}: tell them yourself.)`;
  }
}

type Found = { ok: true; incident: IncidentRecord } | { ok: false; reply: string };

async function namedIncident(incidentId: string): Promise<Found> {
  const incident = await findIncident(incidentId);
  return incident ? { ok: true, incident } : { ok: false, reply: `There is no incident ${incidentId}.` };
}

/**
 * Without an id: the incident declared in this channel, else the only one that still needs a lead — open,
 * or resolved and waiting for its write-up (the lead is often named only once the postmortem starts).
 */
async function impliedIncident(ctx: CommandContext): Promise<Found> {
  if (ctx.channelId) {
    const bound = await incidentOfChannel(ctx.channelId, ctx.now);
    const incident = bound ? await findIncident(bound) : undefined;
    if (incident) return { ok: true, incident };
  }
  const candidates = (await listIncidents(RECENT)).filter(needsLead(ctx.roster.policy));
  if (candidates.length === 1 && candidates[0]) return { ok: true, incident: candidates[0] };
  if (candidates.length === 0) {
    return { ok: false, reply: 'No incident is open or waiting for its write-up; name one with its id.' };
  }
  const list = candidates.map((i) => `\`${i.incidentId}\` (${i.severity} · ${i.title})`).join(', ');
  return {
    ok: false,
    reply: `Several incidents could mean: ${list}. Name one, e.g. \`/comms lead ${candidates[0]?.incidentId ?? ''} @sam\`.`,
  };
}

const needsLead = (config: PolicyConfig | undefined) => (incident: IncidentRecord) =>
  incident.maintenance === undefined &&
  (incident.status !== 'resolved' ||
    (policyFor(incident.severity, config).postmortemHours !== null && incident.writeUpUrl === undefined));

/**
 * Who `text` names: a Slack mention (`<@U…|name>`, sent when the command escapes users), a Slack user id,
 * or what people type with escaping off — `@id`, `@first.last` (their email's name) or their name.
 */
export function peopleMatching(roster: Roster, text: string): Person[] {
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text.trim());
  const typed = (mention?.[1] ?? text.trim()).replace(/^@/, '');
  const bySlack = roster.people.filter((p) => p.slackUserId === typed);
  if (bySlack.length > 0 || mention) return bySlack;
  const plain = typed.toLowerCase();
  const byId = roster.people.filter((p) => p.id.toLowerCase() === plain);
  if (byId.length > 0) return byId;
  const squashed = squash(typed);
  if (squashed === '') return [];
  return roster.people.filter(
    (p) => squash(p.name) === squashed || squash(p.email.split('@')[0] ?? '') === squashed,
  );
}

const squash = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
