import type { SendChannel } from '../../contract/metrics.ts';

/** The channels of the notification log (named once, in the contract, for the metrics too). */
export type LogChannel = SendChannel;

/**
 * claimed: an attempt holds it (until leaseUntil); retrying: a transient failure, the next attempt may take
 * it; sent / sent_by_owner / failed: final. A final item is never sent again.
 */
export type LogStatus = 'claimed' | 'retrying' | 'sent' | 'sent_by_owner' | 'failed';

export const FINAL_STATUSES: readonly LogStatus[] = ['sent', 'sent_by_owner', 'failed'];

/**
 * What the carrier later said about a sent SMS (Twilio's status callback, in Twilio's words): `sent` the
 * carrier took it, then `delivered`, or `undelivered` / `failed` with an error. Beside `status`, which
 * keeps saying what the send itself did.
 */
export type DeliveryStatus = 'sent' | 'delivered' | 'undelivered' | 'failed';

interface LogFields {
  accountId: string;
  channel: LogChannel;
  /** Slack channel id, email address or E.164 number. */
  recipient: string;
  /** Person id of who sent (signed) it; for a company broadcast, who asked for it. */
  senderId: string;
  status: LogStatus;
  /** When the latest attempt started. */
  claimedAt: string;
  /** How long the latest attempt may hold the item before another may take it over. */
  leaseUntil?: string;
  sentAt?: string;
  providerId?: string;
  /** Why it failed, or the last transient error while retrying. */
  error?: string;
  /** Attempts so far (claims); a retried step never resets it. */
  attempts?: number;
  /** Posted under the company's name rather than the sender's. */
  asCompany?: boolean;
  /** The last attempt may have reached the customer: check the provider before sending again. */
  needsCheck?: boolean;
  /** When the attempt holding the item called a provider that cannot be asked afterwards (SES). */
  sendingAt?: string;
  /** SMS: the latest delivery receipt (adapters/sms-receipts.ts); never earlier than one recorded before. */
  deliveryStatus?: DeliveryStatus;
  /** SMS undelivered / failed: Twilio's ErrorCode and what it means, e.g. "30007 message filtered". */
  deliveryError?: string;
  /** SMS: when the receipt saying `delivered` arrived. */
  deliveredAt?: string;
  /** SMS: when the latest receipt arrived. */
  deliveryUpdatedAt?: string;
}

/** One notification of an update round: (incident, round, account, channel, recipient). */
export interface LogEntry extends LogFields {
  incidentId: string;
  round: number;
  broadcastId?: undefined;
  /**
   * Set on a correction of this round's update (the correction's id): the edited Slack post, or the short
   * correction an email or SMS recipient got. Never a first telling: "who has been told" reads none.
   */
  correction?: string;
}

/** One channel of a company broadcast; the incident is absent for a broadcast about no incident. */
export interface BroadcastLogEntry extends LogFields {
  broadcastId: string;
  incidentId?: string;
  round?: undefined;
}

export type AnyLogEntry = LogEntry | BroadcastLogEntry;

/**
 * A customer's reply to one of our updates (kind `reply`): their message in the update's thread, or in
 * their channel while an incident of theirs is open, forwarded to whoever sent them that update (and, for
 * a company send or a broadcast, to the engagement channel). One per (incident or broadcast, account,
 * message); the customer's words are kept here for the CMOC and the retrospective, never in log lines.
 */
export interface ReplyEntry {
  kind: 'reply';
  /** The incident the reply belongs to; absent only for a reply to a broadcast about no incident. */
  incidentId?: string;
  /** The broadcast replied to, when the update answered was a company broadcast. */
  broadcastId?: string;
  /** The round whose update was answered (absent for a broadcast). */
  round?: number;
  accountId: string;
  /** The customer's Slack channel the reply was written in. */
  channel: string;
  /** The reply's own Slack message ts. */
  messageTs: string;
  /** The thread it was written in (our update's first post), when it was written in one. */
  threadTs?: string;
  /** Slack user id of the customer who wrote it. */
  userId: string;
  /** The reply's text, clipped. */
  quote: string;
  /** Who sent the update answered (person id); for a broadcast, who asked for it. */
  repliedToSenderId: string;
  /** The update answered went out as the company (a company send or a broadcast). */
  asCompany: boolean;
  /** When Slack delivered the reply. */
  receivedAt: string;
  /**
   * Where it was forwarded: person ids and, for company sends, the engagement channel id. Until it is
   * `forwarded`, where it is meant to go; then where it went (a fallback in place of a refused target).
   */
  forwardedTo: string[];
  /** Targets Slack refused for good (the person left, the channel was archived), with Slack's reason. */
  undeliverable?: { to: string; error: string }[];
  /** `forwarding` until every forward is out, then `forwarded` (with when). */
  status: 'forwarding' | 'forwarded';
  forwardedAt?: string;
}
