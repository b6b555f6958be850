import { createHash } from 'node:crypto';
import { correctionsOfRound, saveCorrection } from '../adapters/corrections.ts';
import { findIncident } from '../adapters/incidents.ts';
import { logger } from '../adapters/logger.ts';
import { logOf, type NewLogEntry } from '../adapters/notification-log.ts';
import { getOwnerDrafts, getRound, ownerEditOf } from '../adapters/rounds.ts';
import { slackForDelivery } from '../adapters/slack.ts';
import { smsSenderFromConfig, type SmsSender } from '../adapters/sms.ts';
import { draftFor } from '../domain/draft-for.ts';
import { editableBody } from '../domain/edited-drafts.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { LogEntry } from '../domain/records/notification.ts';
import type { AccountDraft, RoundRecord } from '../domain/records/round.ts';
import { accountById, personById, type Roster } from '../domain/roster.ts';
import {
  correctedPost,
  correctionEmail,
  correctionSms,
  type CorrectionTarget,
} from '../messages/correct-modal.ts';
import { defaultDeliveryOptions, deliverExactlyOnce, type DeliveryJob } from './delivery/exactly-once.ts';
import { emailJob, smsJob } from './delivery/jobs.ts';
import { slackEditJob } from './delivery/slack-edit.ts';

/**
 * Corrections of an update that went out: which update a person may correct, the text it went out with,
 * and the correction itself — every customer Slack post of that update edited in place, every email and
 * SMS recipient sent a short correction, each exactly once (services/delivery/exactly-once.ts) and logged
 * as a correction entry, which "who has been told" never reads.
 */

/** One sender's update in one round, as the log has it: only what we sent (not what an owner sent by hand). */
export interface SentUpdate {
  incident: IncidentRecord;
  round: RoundRecord;
  senderId: string;
  entries: LogEntry[];
  /** When it first reached a recipient. */
  sentAt: string;
}

/**
 * What the app itself sent: not `sent_by_owner` (which still counts as told, domain/told.ts), since an
 * update an owner sent by hand has no post of ours to edit and no address we mailed.
 */
const ours = (e: LogEntry) => e.status === 'sent';

/** The update of `target`, or why there is none to correct. */
export async function sentUpdate(target: CorrectionTarget): Promise<SentUpdate | string> {
  const incident = await findIncident(target.incidentId);
  if (!incident) return `There is no incident ${target.incidentId}.`;
  const entries = (await logOf(target.incidentId, target.round)).filter(
    (e) => ours(e) && e.senderId === target.senderId,
  );
  const round = await getRound(target.incidentId, target.round);
  const first = entries.map((e) => e.sentAt ?? e.claimedAt).sort()[0];
  if (!round || !first)
    return `Nothing was sent in update ${target.round} of ${incident.incidentId} to correct.`;
  return { incident, round, senderId: target.senderId, entries, sentAt: first };
}

/**
 * The last update `personId` sent in the incident; for the incident's CMOC, when they sent none
 * themselves, the last update anyone sent.
 */
export async function lastSentUpdate(
  incident: IncidentRecord,
  personId: string,
): Promise<SentUpdate | string> {
  const log = (await logOf(incident.incidentId)).filter(ours);
  const own = log.filter((e) => e.senderId === personId);
  const pool = own.length > 0 || incident.cmocId !== personId ? own : log;
  const latest = [...pool]
    .sort((a, b) => a.round - b.round || (a.sentAt ?? '').localeCompare(b.sentAt ?? ''))
    .at(-1);
  if (!latest)
    return `You have sent no update in ${incident.incidentId}: there is nothing of yours to correct.`;
  return sentUpdate({ incidentId: incident.incidentId, round: latest.round, senderId: latest.senderId });
}

/** Only whoever sent an update, or the incident's CMOC, corrects it. */
export const mayCorrect = (update: SentUpdate, personId: string): boolean =>
  update.senderId === personId || update.incident.cmocId === personId;

/**
 * Each account's draft as it went out: the stored one when the sender was its owner or edited it, else
 * the same update drafted under the sender's name (as delivery does it).
 */
export async function sentDrafts(roster: Roster, update: SentUpdate): Promise<Map<string, AccountDraft>> {
  const { incident, round, senderId } = update;
  const wanted = new Set(update.entries.map((e) => e.accountId));
  const owners = new Set(
    [...wanted].map((id) => accountById(roster, id).ownerId).filter((id) => round.owners.includes(id)),
  );
  const out = new Map<string, AccountDraft>();
  for (const ownerId of owners) {
    const stored = await getOwnerDrafts(incident.incidentId, round.round, ownerId);
    const asStored =
      ownerId === senderId || (await ownerEditOf(incident.incidentId, round.round, ownerId))?.by === senderId;
    for (const draft of stored) {
      if (!wanted.has(draft.accountId)) continue;
      const account = accountById(roster, draft.accountId);
      out.set(
        draft.accountId,
        asStored ? draft : draftFor(roster, incident, round.phase, account, personById(roster, senderId)),
      );
    }
  }
  return out;
}

/** What the modal opens with: the latest correction's text, else the text the update went out with. */
export async function currentText(roster: Roster, update: SentUpdate): Promise<string> {
  const corrected = (await correctionsOfRound(update.incident.incidentId, update.round.round))
    .filter((c) => c.senderId === update.senderId)
    .at(-1);
  if (corrected) return corrected.text;
  const first = [...(await sentDrafts(roster, update)).values()][0];
  return first ? editableBody(first) : '';
}

/**
 * A correction is named by what it says: sending the same text for the same update again (a repeated
 * follow-up, or the person finishing one that did not complete) reaches nobody twice.
 */
export const correctionIdOf = (update: SentUpdate, text: string): string =>
  createHash('sha256')
    .update(`${update.incident.incidentId}\n${update.round.round}\n${update.senderId}\n${text.trim()}`)
    .digest('hex')
    .slice(0, 16);

export interface CorrectionReport {
  correctionId: string;
  slack: number;
  email: number;
  sms: number;
  alreadyDone: number;
  failed: number;
  pending: number;
}

export async function deliverCorrection(input: {
  roster: Roster;
  update: SentUpdate;
  text: string;
  by: string;
  at: Date;
  deadline: number;
}): Promise<CorrectionReport> {
  const { roster, update } = input;
  const { incident, round } = update;
  const correctionId = correctionIdOf(update, input.text);
  const record = await saveCorrection({
    correctionId,
    incidentId: incident.incidentId,
    round: round.round,
    senderId: update.senderId,
    by: input.by,
    at: input.at.toISOString(),
    text: input.text.trim(),
  });
  const drafts = await sentDrafts(roster, update);
  const sender = personById(roster, update.senderId);
  const company = roster.company.name;
  const web = await slackForDelivery();
  let sms: Promise<SmsSender> | undefined;
  const smsSender: SmsSender = {
    send: async (m) => (await (sms ??= smsSenderFromConfig())).send(m),
    findSent: async (q) => (await (sms ??= smsSenderFromConfig())).findSent(q),
  };
  const jobs = update.entries.flatMap((sent): DeliveryJob[] => {
    const draft = drafts.get(sent.accountId);
    if (!draft) return [];
    const entry: NewLogEntry = {
      incidentId: incident.incidentId,
      round: round.round,
      correction: correctionId,
      accountId: sent.accountId,
      channel: sent.channel,
      recipient: sent.recipient,
      senderId: record.by,
      ...(sent.asCompany ? { asCompany: true } : {}),
    };
    switch (sent.channel) {
      case 'slack': {
        if (!sent.providerId) return [];
        const post = correctedPost(draft, record.text, new Date(record.at));
        return [slackEditJob(web, entry, { channel: sent.recipient, ts: sent.providerId, ...post })];
      }
      case 'email':
        return [
          emailJob(entry, {
            to: sent.recipient,
            fromName: sent.asCompany ? company : `${sender.name} (${company})`,
            replyTo: sender.email,
            ...correctionEmail(draft, record.text, update.sentAt),
            tags: { incident: incident.incidentId, account: sent.accountId, round: String(round.round) },
          }),
        ];
      case 'sms':
        return [smsJob(smsSender, entry, { to: sent.recipient, body: correctionSms(record.text, company) })];
    }
  });
  const report = await deliverExactlyOnce(
    jobs,
    defaultDeliveryOptions({ mode: 'send', deadline: input.deadline }),
  );
  logger.info('correction delivered', {
    incidentId: incident.incidentId,
    round: round.round,
    correctionId,
    sent: report.sent,
    alreadySent: report.alreadySent,
    failed: report.failed,
    pending: report.pending,
  });
  // Per channel: every recipient that has its correction, this time or an earlier one.
  const notDone = [...report.failures.map((f) => f.ref), ...report.pendingRefs];
  const done = (channel: LogEntry['channel']) =>
    jobs.filter((j) => j.entry.channel === channel).length -
    notDone.filter((r) => r.channel === channel).length;
  return {
    correctionId,
    slack: done('slack'),
    email: done('email'),
    sms: done('sms'),
    alreadyDone: report.alreadySent,
    failed: report.failed,
    pending: report.pending,
  };
}
