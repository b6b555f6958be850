import { ladderOf, maintenanceLevel } from '../domain/ladder.ts';
import { knownRegions, knownServices, type Roster } from '../domain/roster.ts';

/** `/comms broadcast`'s own usage: said after a broadcast mistake, and part of the help. */
export const BROADCAST_USAGE = [
  '`/comms broadcast preview incident=<id> [owners=offline] [region=emea] [tier=high-touch] [services=a,b] [exclude=ada] -- <message>`',
  '`/comms broadcast send …same…` — sends as the company, each channel once; `security` or `maintenance` instead of `incident=` when there is no incident',
  '`/comms broadcast status <broadcast-id>`',
].join('\n');

/**
 * The answer Slack gets at once while a command runs (docs/architecture.md, "Answer first, then finish");
 * the result follows through the command's response_url.
 */
export function workingOn(subcommand: string): string {
  return `Working on \`/comms ${subcommand}\`…`;
}

/** The help, with the severities, services and regions this company actually has. */
export function usage(roster: Roster): string {
  const levels = ladderOf(roster.policy).map((level) => `${level.severity} (${level.label})`);
  return [
    '*/comms* — customer comms for an incident',
    '• `/comms declare <severity> <title>` — declare an incident that did not come from PagerDuty; it affects every service',
    '• `/comms declare <severity> "<title>" <services>` — …affecting only these services (comma-separated)',
    '• `/comms update [incident-id] <text>` — an engineering update: a customer update goes out now with it',
    '• `/comms resolve [incident-id] [summary]` — resolved; the summary is the root cause in the closing update',
    '• `/comms status [incident-id]` — who has been told and who is still pending, per account',
    `• \`/comms maintenance <system> <start> <end> [regions]\` — announce planned maintenance (${maintenanceLevel(roster.policy)}); quote a system of several words; times like \`2026-11-08T02:00Z\` (UTC unless a zone is given)`,
    '• `/comms postmortem [incident-id] <link>` — the write-up is published: every affected customer gets the link',
    '• `/comms correct [incident-id]` — fix your last sent update: Slack posts are edited in place, email and SMS recipients get a short correction',
    '• `/comms lead [incident-id] @person` — (CMOC) name the engineering lead: the write-up reminders go to them',
    '• `/comms resume [incident-id]` — (CMOC) a step of the comms kept failing: get its *Try again* / *Stop comms* message again',
    ...BROADCAST_USAGE.split('\n').map((line) => `• /comms broadcast: ${line}`),
    '• `/comms help` — this help',
    'Which incident `update`, `resolve`, `correct` and `status` mean: the id when you give one; otherwise the incident declared in this channel; otherwise the only open incident.',
    `Severities, most severe first: ${levels.join(', ')}.`,
    `Services: ${knownServices(roster).join(', ') || 'none'}. Regions: ${knownRegions(roster).join(', ') || 'none'}.`,
  ].join('\n');
}
