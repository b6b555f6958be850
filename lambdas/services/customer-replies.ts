import { findBroadcast } from '../adapters/broadcasts.ts';
import { findIncident } from '../adapters/incidents.ts';
import { logger } from '../adapters/logger.ts';
import { logByAccount } from '../adapters/notification-log.ts';
import { markForwarded, recordReply } from '../adapters/replies.ts';
import { currentRoster } from '../adapters/roster.ts';
import { slack } from '../adapters/slack.ts';
import {
  answeredUpdate,
  replyFallback,
  replyTargets,
  sentAsCompany,
  type CustomerMessage,
} from '../domain/replies.ts';
import { isOpenIncident, type IncidentRecord } from '../domain/records/incident.ts';
import type { AnyLogEntry, ReplyEntry } from '../domain/records/notification.ts';
import { personById, type Account, type Roster } from '../domain/roster.ts';
import { plainText, replyMessage, type ReplyNotice } from '../messages/customer-reply.ts';
import { clip } from '../messages/mrkdwn.ts';
import { forwardAll, type Forward } from './reply-forwards.ts';
import { dmOnce } from './dm-once.ts';

/** A customer's message as the Events API delivered it (already checked: a person, no subtype we skip). */
export interface IncomingMessage extends Omit<CustomerMessage, 'at'> {
  user: string;
  /** As Slack sends it: escaped, with links and mentions as `<…>`. */
  text: string;
}

/** How far back an account's log is read: far more than the updates of any open incident or thread. */
const LOG_LOOKBACK = 200;
/** What the record keeps of the customer's words: enough for the retrospective, bounded for the item. */
const STORED_QUOTE_CHARS = 2000;

/**
 * Forwards a customer's message to whoever sent them the update it answers (domain/replies.ts) and, for a
 * company send or a broadcast, to the engagement channel; records it once as a `reply` on the account's
 * line of the incident. Every forward is posted once under a key of its own (services/dm-once.ts), so a
 * retried follow-up finds what an earlier run posted. Returns an id-only outcome for the event's record.
 */
export async function forwardReply(message: IncomingMessage, at: Date): Promise<string> {
  const roster = await currentRoster();
  // The company's own people talking in a customer channel are not a customer's reply.
  if (roster.people.some((p) => p.slackUserId === message.user)) return 'ignored: written by the company';
  const accounts = roster.accounts.filter((a) => a.slackChannelId === message.channel);
  if (accounts.length === 0) return 'ignored: not a customer channel';
  const outcomes: string[] = [];
  for (const account of accounts) outcomes.push(await forwardFor(roster, account, message, at));
  return outcomes.join('; ');
}

async function forwardFor(
  roster: Roster,
  account: Account,
  message: IncomingMessage,
  at: Date,
): Promise<string> {
  const log = await logByAccount(account.id, { limit: LOG_LOOKBACK });
  const open = await openIncidents(log);
  const answered = answeredUpdate(account.id, log, { ...message, at: at.toISOString() }, (id) =>
    Boolean(open.get(id)),
  );
  if (!answered) return `ignored: ${account.id} has no open incident and this is no thread of ours`;

  const words = plainText(message.text);
  const broadcast = answered.broadcastId ? await findBroadcast(answered.broadcastId) : undefined;
  const targets = replyTargets(roster, account, answered, broadcast);
  const incident =
    answered.incidentId !== undefined
      ? (open.get(answered.incidentId) ?? (await findIncident(answered.incidentId)))
      : undefined;
  const reply: ReplyEntry = {
    kind: 'reply',
    ...(answered.incidentId !== undefined ? { incidentId: answered.incidentId } : {}),
    ...(answered.broadcastId !== undefined ? { broadcastId: answered.broadcastId } : {}),
    ...(answered.round !== undefined ? { round: answered.round } : {}),
    accountId: account.id,
    channel: message.channel,
    messageTs: message.ts,
    ...(message.threadTs !== undefined ? { threadTs: message.threadTs } : {}),
    userId: message.user,
    quote: clip(words, STORED_QUOTE_CHARS),
    repliedToSenderId: answered.senderId,
    asCompany: sentAsCompany(answered),
    receivedAt: at.toISOString(),
    forwardedTo: [...targets.people, ...(targets.engagementChannelId ? [targets.engagementChannelId] : [])],
    status: 'forwarding',
  };
  const isNew = await recordReply(reply);

  const notice = await noticeOf(account, { ...message, text: words }, answered, incident);
  const key = `reply:${message.channel}:${message.ts}:${account.id}`;
  const forwards: Forward[] = targets.people.map((personId) => {
    const person = personById(roster, personId);
    return {
      to: personId,
      label: person.name,
      audience: 'sender',
      post: (m) => dmOnce(`${key}:${personId}`, person.slackUserId, m),
    };
  });
  const engagement = targets.engagementChannelId;
  if (engagement)
    forwards.push({
      to: engagement,
      label: 'the engagement channel',
      audience: 'engagement',
      // Posted once like a notice DM, into the channel the team watches rather than a person's DM.
      post: (m) =>
        dmOnce(`${key}:${engagement}`, engagement, m, (web) =>
          web.chat.postMessage({ channel: engagement, text: m.text, blocks: m.blocks, unfurl_links: false }),
        ),
    });
  const outcome = await forwardAll(forwards, notice);
  // Never anyone Slack refused, and whoever already has the reply needs no second notice of it.
  const skip = [...outcome.refused.map((r) => r.forward.to), ...outcome.delivered];
  const fallbacks = outcome.refused.flatMap((r) => {
    const fallback = replyFallback(roster, account, skip, incident, new Date());
    return fallback ? [{ ...r, fallback }] : [];
  });
  for (const r of fallbacks) {
    const person = personById(roster, r.fallback);
    await dmOnce(
      `${key}:instead-of:${r.forward.to}`,
      person.slackUserId,
      replyMessage({
        ...notice,
        audience: r.forward.audience,
        insteadOf: { target: r.forward.label, reason: r.reason },
      }),
    );
  }
  // A forward that may still go through (Slack down, a timeout) is tried again by the follow-up's retry;
  // what was posted stays posted (dmOnce), and a refusal meets the same fallback under the same key.
  if (outcome.retry !== undefined) throw outcome.retry;
  if (outcome.refused.length > 0)
    logger.error('a customer reply could not reach its target', {
      accountId: account.id,
      refused: outcome.refused.map((r) => ({ to: r.forward.to, reason: r.reason })),
      toldInstead: fallbacks.map((r) => r.fallback),
    });
  const forwardedTo = [...new Set([...outcome.delivered, ...fallbacks.map((r) => r.fallback)])];
  await markForwarded(reply, new Date().toISOString(), {
    forwardedTo,
    ...(outcome.refused.length > 0
      ? { undeliverable: outcome.refused.map((r) => ({ to: r.forward.to, error: r.reason })) }
      : {}),
  });
  // Ids only: the customer's words stay in the record, out of the logs.
  logger.info('customer reply forwarded', {
    accountId: account.id,
    incidentId: reply.incidentId,
    broadcastId: reply.broadcastId,
    round: reply.round,
    forwardedTo,
    again: !isNew,
  });
  return `forwarded: ${account.id} to ${forwardedTo.join(', ')}`;
}

/** The open incidents among those the account's log names, by id. */
async function openIncidents(log: readonly AnyLogEntry[]): Promise<Map<string, IncidentRecord>> {
  const ids = [...new Set(log.flatMap((e) => (e.incidentId !== undefined ? [e.incidentId] : [])))];
  const found = await Promise.all(ids.map((id) => findIncident(id)));
  return new Map(found.flatMap((i) => (i && isOpenIncident(i) ? [[i.incidentId, i] as const] : [])));
}

async function noticeOf(
  account: Account,
  message: IncomingMessage,
  answered: AnyLogEntry,
  incident: IncidentRecord | undefined,
): Promise<Omit<ReplyNotice, 'audience'>> {
  const about: ReplyNotice['about'] =
    incident && answered.broadcastId === undefined
      ? {
          kind: 'incident',
          incidentId: incident.incidentId,
          severity: incident.severity,
          title: incident.title,
          ...(answered.round !== undefined ? { round: answered.round } : {}),
        }
      : { kind: 'broadcast', broadcastId: answered.broadcastId ?? '' };
  const permalink = await permalinkOf(message);
  return {
    accountName: account.name,
    userId: message.user,
    text: message.text,
    about,
    ...(permalink ? { permalink } : {}),
  };
}

/** The reply's link; without one the forward still goes (it names the account and quotes the reply). */
async function permalinkOf(message: IncomingMessage): Promise<string | undefined> {
  try {
    const web = await slack();
    const out = await web.chat.getPermalink({ channel: message.channel, message_ts: message.ts });
    return out.permalink;
  } catch (error) {
    logger.warn('no permalink for a customer reply', { channel: message.channel, error });
    return undefined;
  }
}
