import { formatClock, policyFor } from '../domain/index.ts';
import type { Roster } from '../domain/roster.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { LogEntry } from '../domain/records/notification.ts';
import type { RoundRecord } from '../domain/records/round.ts';
import type { NotifyCmocInput } from '../contract/payloads.ts';
import { accountStates, latestStates, stateLines } from './account-lines.ts';
import { personName, type Person } from '../domain/roster.ts';
import { stepFailure, whatHappened } from '../domain/step-failure.ts';
import type { Retrospective } from '../domain/retrospective.ts';
import { retroHeadlines } from './retrospective.ts';

export interface NoticeContext {
  incident: IncidentRecord;
  roster: Roster;
  round?: RoundRecord;
  /** This round's log (for a round summary) or the whole incident's (for the closing summary). */
  log: LogEntry[];
  rounds: RoundRecord[];
  now: Date;
  /** How many accounts and owners the incident touches (for the confirmation). */
  affected: { accounts: number; owners: number };
  /** When the next update is due, if one is scheduled. */
  nextUpdateAt?: Date;
  /** The engineering incident lead, when the incident has one the roster still knows. */
  lead?: { name: string };
  /** The comms retrospective (closing and the write-up reminder), for the write-up's comms section. */
  retrospective?: Retrospective;
}

const at = (date: Date) => formatClock(date, 'UTC');

/** The CMOC's DM for each kind of notice: short, specific, saying what (if anything) they must do. */
export function cmocNotice(input: NotifyCmocInput, ctx: NoticeContext): string {
  const { incident, roster } = ctx;
  const title = `*${incident.severity} · ${incident.title}*`;
  const owner = personName(roster, input.ownerId);
  const policy = policyFor(incident.severity, roster.policy);
  switch (input.kind) {
    case 'confirm_impact':
    case 'impact_reminder': {
      const scope = `${ctx.affected.accounts} account${ctx.affected.accounts === 1 ? '' : 's'} of ${ctx.affected.owners} owner${ctx.affected.owners === 1 ? '' : 's'} use ${incident.services.join(', ') || 'the affected services'}.`;
      const hold = policy.autoStart
        ? `Customer comms start on their own at ${at(new Date(Date.parse(incident.commsAskedAt ?? ctx.now.toISOString()) + policy.autoStartAfterMinutes * 60_000))} unless you say there is no customer impact.`
        : 'Nothing goes to customers until you start comms.';
      const reminder = input.kind === 'impact_reminder' ? 'Reminder: still waiting for your call. ' : '';
      // Customers were told it was resolved: the CMOC decides again whether they must hear it is back.
      const lead = `${incident.reopenings ? 'Reopened after it was resolved. ' : ''}${reminder}`;
      return `${title}\n${lead}You're CMOC. Is there customer impact? ${scope}\n${hold}`;
    }
    case 'engineering_update': {
      const next = ctx.nextUpdateAt
        ? `It goes into the next update, due at ${at(ctx.nextUpdateAt)}.`
        : 'It goes into the next update.';
      return `${title}\nEngineering update: “${incident.engineeringUpdate ?? ''}”\n${next} Send one now if customers should hear it sooner.`;
    }
    case 'owner_timed_out':
    case 'nobody_sent':
      return `${title}\nNobody sent ${owner}'s accounts round ${input.round} (the owner and a regional backup were asked, or none was available). Please send it or assign someone.`;
    case 'owner_declined':
      return `${title}\n${owner} can't send round ${input.round}. Their accounts have not been sent this update: please send it or assign someone.`;
    case 'sent_as_company':
      return `${title}\nNobody could send ${owner}'s accounts round ${input.round} in time, so it went out as the company, signed by you. Their replies come to you.`;
    case 'step_left_out':
      return leftOut(title, input, owner);
    // From executions that started before a failed step asked the CMOC (contract/payloads.ts).
    case 'owner_unreachable':
      return `${title}\nCould not ask ${owner} about round ${input.round} (${input.error ?? 'error'}). Please reach their accounts directly.`;
    case 'delivery_failed':
      return `${title}\nDelivering ${owner}'s accounts in round ${input.round} failed (${input.error ?? 'error'}). Check the log with \`/comms status\`.`;
    case 'review_unavailable':
      return `${title}\nCould not put round ${input.round} in front of you for review (${input.error ?? 'error'}); it went to the owners unreviewed.`;
    case 'workflow_failed':
      return `${title}\nIncident comms stopped on an error (${input.error ?? 'unknown'}). Customers will not get further automatic updates: take over by hand.`;
    case 'round_summary':
      return roundSummary(title, ctx);
    case 'closed':
      return closing(title, ctx);
    case 'postmortem_reminder':
      if (ctx.lead) {
        return `${title}\nReminded ${ctx.lead.name} about the write-up due ${at(writeUpDue(ctx))}. Customers get it as soon as the link arrives.`;
      }
      return `${title}\nFor the engineering incident lead: customers were promised a write-up by ${at(writeUpDue(ctx))}. ${howToPost(incident)}${commsSection(ctx)}`;
    case 'postmortem_overdue':
      return `${title}\nThe write-up promised to customers by ${at(writeUpDue(ctx))} is overdue. Please chase ${ctx.lead ? `${ctx.lead.name}, the engineering lead` : 'the engineering lead'}; customers get it as soon as the link arrives.`;
    case 'postmortem_given_up':
      return `${title}\nNo write-up link arrived within a week, so the automatic follow-up has ended${ctx.lead ? ` (engineering lead: ${ctx.lead.name})` : ''}. Customers were promised one: send it by hand when it exists.`;
    case 'writeup_sent':
      return `${title}\nThe write-up went to every affected customer (round ${input.round}). This incident's comms are complete.`;
  }
}

/** The write-up reminder as the engineering lead gets it, in their own DM. */
export function leadReminder(ctx: NoticeContext): string {
  const { incident } = ctx;
  return `*${incident.severity} · ${incident.title}*\nYou're the engineering lead for this incident. Customers were promised a write-up by ${at(writeUpDue(ctx))}. ${howToPost(incident)}${commsSection(ctx)}`;
}

/**
 * The write-up's comms section (handbook: "GTM adds comms learnings"): the retrospective's headline, for
 * the lead to paste into the write-up.
 */
function commsSection(ctx: NoticeContext): string {
  if (!ctx.retrospective) return '';
  const lines = retroHeadlines(ctx.retrospective).map((line) => `• ${line}`);
  return [
    '',
    '',
    '*For the write-up, customer comms:*',
    ...lines,
    `The whole record: \`GET /api/incidents/${ctx.incident.incidentId}/retrospective?format=md\`.`,
  ].join('\n');
}

/** The CMOC's copy when the lead's DM could not be posted: the reminder itself, for them to pass on. */
export function leadUnreachable(ctx: NoticeContext, lead: string, error: string): string {
  const { incident } = ctx;
  return `*${incident.severity} · ${incident.title}*\nCould not remind ${lead} in Slack (${error}); please pass this on. Customers were promised a write-up by ${at(writeUpDue(ctx))}. ${howToPost(incident)}${commsSection(ctx)}`;
}

/** The person the CMOC names as engineering lead hears it, and what to do with the write-up. */
export function leadNamed(incident: IncidentRecord, by: Person): string {
  return (
    `*${incident.severity} · ${incident.title}*\n${by.name} named you the engineering lead for this incident. ` +
    `When its write-up is published, post the link as a PagerDuty status update (“Postmortem: https://…”) ` +
    `or with \`/comms postmortem ${incident.incidentId} <link>\`: every affected customer gets it then.`
  );
}

const howToPost = (incident: IncidentRecord) =>
  `When it is published, post the link as a PagerDuty status update (“Postmortem: https://…”) or with \`/comms postmortem ${incident.incidentId} <link>\`; every affected customer gets it then.`;

function writeUpDue(ctx: NoticeContext): Date {
  const hours = policyFor(ctx.incident.severity, ctx.roster.policy).postmortemHours ?? 48;
  return new Date(Date.parse(ctx.incident.resolvedAt ?? ctx.now.toISOString()) + hours * 3_600_000);
}

function roundSummary(title: string, ctx: NoticeContext): string {
  const { round, log, roster } = ctx;
  if (!round) return `${title}\nRound summary unavailable: the round was not found.`;
  const { counts, lines } = stateLines(accountStates(roster, round.accountIds, log));
  return [`${title}\nRound ${round.round} (${round.phase}): ${counts}`, ...lines].join('\n');
}

/** The archive note: how many rounds, and where every account ended up. */
function closing(title: string, ctx: NoticeContext): string {
  const rounds = ctx.incident.rounds ?? 0;
  if (rounds === 0) return `${title}\nClosed without customer comms: no update went out.`;
  const { counts, lines } = stateLines(latestStates(ctx.roster, ctx.rounds, ctx.log));
  return [
    `${title}\nClosed. ${rounds} update round${rounds === 1 ? '' : 's'} went out. Where each account ended: ${counts}`,
    ...lines,
  ].join('\n');
}

/**
 * The regional handoff, told to both CMOCs: the one on shift now gets where every account stands, the
 * one whose day ended who has it.
 */
export function handOverNotices(input: {
  incident: IncidentRecord;
  roster: Roster;
  previous: Person;
  next: Person;
  rounds: RoundRecord[];
  log: LogEntry[];
  now: Date;
}): { toNext: string; toPrevious: string } {
  const { incident, previous, next, rounds } = input;
  const title = `*${incident.severity} · ${incident.title}*`;
  const when = at(input.now);
  const { counts, lines } = stateLines(latestStates(input.roster, rounds, input.log));
  const state =
    rounds.length === 0
      ? ['No update has gone to customers yet.']
      : [`Where each account stands: ${counts}`, ...lines];
  return {
    toNext: [
      `${title}\nYou're now CMOC for this incident: ${previous.name}'s working day has ended (${when}).`,
      ...state,
    ].join('\n'),
    toPrevious: `${title}\nHanded over to ${next.name} (${next.region}) at ${when}.`,
  };
}

/**
 * A text the carrier did not deliver, said on its own (it arrives after the round's summary). The number
 * itself stays out of Slack: the log has it.
 */
export function smsUndelivered(incident: IncidentRecord, account: string, error: string): string {
  return (
    `*${incident.severity} · ${incident.title}*\n:warning: A text message to ${account} was not delivered ` +
    `(${error}). Their other channels are in \`/comms status ${incident.incidentId}\`; reach them another way if it matters.`
  );
}

/** What happens instead of a step left out, where it is more than "the comms go on". */
const INSTEAD: Partial<Record<NonNullable<NotifyCmocInput['step']>, string>> = {
  'Ask the CMOC to approve the draft': 'The round went to the owners unreviewed.',
  'Ask the regional backup to send': "The CMOC's fallback follows for these accounts.",
  'Ask the CMOC to confirm customer impact': 'A reminder with the buttons follows.',
  "Hand over to the next region's CMOC": 'You stay CMOC for now; the handoff is tried again.',
  'Tell the owners the severity changed': 'The owners were not told; their next draft has the new severity.',
  'Summarise the round for the CMOC': '`/comms status` shows who has been told.',
};

/** A step left out after its retries: which, why (the error's name and a safe message), what happens now. */
function leftOut(title: string, input: NotifyCmocInput, owner: string): string {
  const failure = stepFailure(input.step ?? 'A step', input.error ?? 'Error', input.cause ?? '');
  const where =
    input.round === undefined ? '' : ` (round ${input.round}${input.ownerId ? `, ${owner}'s accounts` : ''})`;
  const instead = (input.step && INSTEAD[input.step]) ?? "The incident's comms go on without it.";
  return [
    title,
    `:warning: *${failure.step}*${where} ${whatHappened(failure.error)} after its retries and was left out. ${instead}`,
    `Error: \`${failure.error}\`${failure.message ? `: ${failure.message}` : ''}`,
  ].join('\n');
}
