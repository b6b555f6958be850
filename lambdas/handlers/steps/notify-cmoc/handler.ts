import type { KnownBlock } from '@slack/types';
import { affectedAccounts, levelNames, ownersOf } from '../../../domain/index.ts';
import { nextUpdateAt } from '../../../domain/schedule.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import { incidentNow, type IncidentRecord } from '../../../domain/records/incident.ts';
import { logContext } from '../../../adapters/logger.ts';
import { logOf } from '../../../adapters/notification-log.ts';
import { getRound, listRounds } from '../../../adapters/rounds.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { personById } from '../../../domain/roster.ts';
import type { NotifyCmocInput } from '../../../contract/payloads.ts';
import {
  buttonsBlock,
  CMOC_BUTTONS,
  severityBlock,
  type CmocButton,
} from '../../../messages/cmoc-buttons.ts';
import { cmocAction, recordDm } from '../../../adapters/actions.ts';
import { postDm } from '../../../adapters/slack.ts';
import { dmOnce } from '../../../services/dm-once.ts';
import { retrospectiveFor } from '../../../services/retrospective.ts';
import { retroDm } from '../../../messages/retrospective.ts';
import { withCorrectButton } from '../../../messages/correct-modal.ts';
import { mrkdwnSection } from '../../../domain/slack-sections.ts';
import { closeAsks } from '../../../services/asks.ts';
import {
  cmocNotice,
  leadReminder,
  leadUnreachable,
  type NoticeContext,
} from '../../../messages/cmoc-notice.ts';
import { logger } from '../../../adapters/logger.ts';
import {
  closeIncidentChannel,
  openIncidentChannel,
  writeUpOwed,
} from '../../../services/incident-channel.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';
import { countEscalation } from '../../../adapters/metrics.ts';

/** Buttons stay pressable for the life of an incident execution. */
const ACTION_LIFETIME_SECONDS = 14 * 24 * 3600;

/** Tells the incident's CMOC what needs a person. The workflow's "never a silent stop" ends here. */
export const handler = lambdaHandler(async (input: NotifyCmocInput): Promise<{ notified: string }> => {
  logContext({ incidentId: input.incidentId, kind: input.kind });
  const incident = await getIncident(input.incidentId);
  const roster = await currentRoster();
  const cmoc = personById(roster, incident.cmocId);
  const ctx = await context(input, incident, roster);
  // One DM per notice, however often the step runs: what makes it this notice is its kind, round, owner,
  // event and (for those that come again, like reminders) the schedule's key.
  const key = noticeKey(input);
  // The incident channel opens with the CMOC's first notice and closes with the incident (after a write-up
  // that is still owed); either way a Slack failure there is logged and comms go on.
  if (input.kind === 'confirm_impact') await openIncidentChannel(input.incidentId);
  // A SEV1's is kept for its write-up follow-up, which ends with the write-up sent or given up.
  const writeUpDone = input.kind === 'writeup_sent' || input.kind === 'postmortem_given_up';
  if ((input.kind === 'closed' && !writeUpOwed(incident, roster.policy)) || writeUpDone)
    await closeIncidentChannel(input.incidentId);
  if (input.kind === 'postmortem_reminder') {
    const lead = roster.people.find((p) => p.id === incident.leadId);
    if (lead) {
      try {
        await dmOnce(`${key}:lead`, lead.slackUserId, { text: leadReminder(ctx) });
      } catch (error) {
        // The reminder must still reach someone: the CMOC gets it to pass on.
        logger.warn('could not DM the engineering lead', { error, leadId: lead.id });
        const reason = error instanceof Error ? error.message : String(error);
        await dmOnce(`${key}:lead-unreachable`, cmoc.slackUserId, {
          text: leadUnreachable(ctx, lead.name, reason),
        });
        return { notified: cmoc.id };
      }
    }
  }
  // Nobody sent it in time: the owner's and the backup's DMs stop asking and say the CMOC has it.
  if (input.kind === 'nobody_sent' && input.round !== undefined && input.ownerId) {
    const ref = { incidentId: input.incidentId, round: input.round, ownerId: input.ownerId };
    await closeAsks(ref, { kind: 'cmoc', cmoc });
  }
  const text = cmocNotice(input, ctx);
  // The CMOC's fallback took the update over: sent as the company, or nobody could send it.
  if (input.kind === 'sent_as_company' || input.kind === 'nobody_sent') countEscalation('cmoc');

  const buttons = buttonsFor(input, incident);
  if (!buttons) {
    await dmOnce(key, cmoc.slackUserId, noticeMessage(input, incident, text));
    // The comms retrospective, short, once per closing: a reopened incident closes again in a new execution.
    // A maintenance window is announced on its own timetable, not noticed: it has no cadence to look back on.
    if (input.kind === 'closed' && ctx.retrospective && incident.rounds > 0 && !incident.maintenance) {
      const retroKey = `retrospective:${incident.incidentId}:${incident.executionName}`;
      await dmOnce(retroKey, cmoc.slackUserId, { text: retroDm(ctx.retrospective, roster) });
    }
    return { notified: cmoc.id };
  }
  const action = await cmocAction({
    key: buttons.key,
    incidentId: incident.incidentId,
    cmocId: cmoc.id,
    answerWithinSeconds: ACTION_LIFETIME_SECONDS,
  });
  // A retried first ask finds its DM already posted; a reminder posts the same buttons again (once).
  if (input.kind !== 'impact_reminder' && action.dm) return { notified: cmoc.id };
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text } },
    buttonsBlock(action.actionId, buttons.ids),
  ];
  if (buttons.severity) {
    // The severity select is its own action: choosing a level never uses up the confirm buttons.
    const select = await cmocAction({
      key: `severity:${incident.incidentId}${executionSuffix(incident)}`,
      incidentId: incident.incidentId,
      cmocId: cmoc.id,
      answerWithinSeconds: ACTION_LIFETIME_SECONDS,
    });
    blocks.push(severityBlock(select.actionId, incident.severity, levelNames(roster.policy)));
  }
  if (input.kind === 'impact_reminder') {
    const dm = await dmOnce(key, cmoc.slackUserId, { text, blocks });
    // The first DM with these buttons: a press updates it.
    if (!action.dm) await recordDm(action.actionId, dm);
  } else {
    await postDm(cmoc.slackUserId, { text, blocks }, action);
  }
  return { notified: cmoc.id };
});

/**
 * A notice without buttons of its own. The CMOC's fallback sent it as the company, signed by them: the
 * notice then offers to correct it, as the sender's "sent" DM does.
 */
function noticeMessage(
  input: NotifyCmocInput,
  incident: { incidentId: string; cmocId: string },
  text: string,
): { text: string; blocks?: KnownBlock[] } {
  if (input.kind !== 'sent_as_company' || input.round === undefined) return { text };
  return withCorrectButton(
    { text, blocks: [mrkdwnSection(text)] },
    { incidentId: incident.incidentId, round: input.round, senderId: incident.cmocId },
  );
}

/**
 * What makes a DM this one notice (services/dm-once.ts): its kind, round, owner, event and — for those that
 * come again, like reminders — the schedule's key. A step left out is one DM per step and hour: a step
 * that keeps failing (a handoff tried each time the schedule comes round) updates it rather than posting
 * again and again.
 */
function noticeKey(input: NotifyCmocInput): string {
  const occurrence =
    input.kind === 'step_left_out' ? [input.step, new Date().toISOString().slice(0, 13)] : [input.key];
  return ['notice', input.kind, input.incidentId, input.round, input.ownerId, input.eventId, ...occurrence]
    .map((part) => part ?? '')
    .join(':');
}

/**
 * A reopened incident runs a new execution (adapters/incident-reopen.ts) that asks the CMOC again: its
 * buttons are new ones, not the first execution's, which were pressed already.
 */
const executionSuffix = (incident: IncidentRecord) => (incident.reopenings ? `:r${incident.reopenings}` : '');

function buttonsFor(
  input: NotifyCmocInput,
  incident: IncidentRecord,
): { key: string; ids: CmocButton[]; severity?: true } | undefined {
  switch (input.kind) {
    case 'confirm_impact':
    case 'impact_reminder':
      return {
        key: `confirm:${input.incidentId}${executionSuffix(incident)}`,
        ids: [CMOC_BUTTONS.start, CMOC_BUTTONS.noImpact],
        severity: true,
      };
    case 'engineering_update':
      return { key: `send-now:${input.incidentId}:${input.eventId ?? ''}`, ids: [CMOC_BUTTONS.sendNow] };
    default:
      return undefined;
  }
}

async function context(
  input: NotifyCmocInput,
  incident: IncidentRecord,
  roster: NoticeContext['roster'],
): Promise<NoticeContext> {
  const now = incidentNow(incident, Date.now());
  const round = input.round === undefined ? undefined : await getRound(input.incidentId, input.round);
  // The closing summary and the write-up reminder read the whole incident (the comms retrospective).
  const closing = input.kind === 'closed' || input.kind === 'postmortem_reminder';
  const log = closing
    ? await logOf(input.incidentId)
    : input.round === undefined
      ? []
      : await logOf(input.incidentId, input.round);
  const rounds = closing ? await listRounds(input.incidentId) : [];
  const accounts = affectedAccounts(roster, { services: incident.services, regions: incident.regions });
  const ctx: NoticeContext = {
    incident,
    roster,
    log,
    rounds,
    now,
    affected: { accounts: accounts.length, owners: ownersOf(accounts).size },
  };
  const lead = roster.people.find((p) => p.id === incident.leadId);
  if (lead) ctx.lead = { name: lead.name };
  if (round) ctx.round = round;
  if (closing) ctx.retrospective = await retrospectiveFor(incident, roster, { rounds, log });
  const next = nextUpdateAt(incident, roster.policy);
  if (next !== undefined) ctx.nextUpdateAt = new Date(next);
  return ctx;
}
