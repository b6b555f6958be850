/**
 * A company broadcast (handbook "Using Pylon for broadcasts"): one message, as the company, to every
 * customer Slack channel in an audience. Items (see table-schema.ts):
 *   BROADCAST#<id> / META          the request, the plan and the outcome
 *   BROADCAST#<id> / BATCH#<nnnn>  one batch's channels; the lease of the run sending it
 *                                  (broadcast-runs.ts); once run, its counts (progress = their sum)
 *   BROADCAST#<id> / LOG#…         one log item per channel (notification-log.ts)
 * GSI1: BROADCASTS / <createdAt>#<id>, newest last.
 */
export interface AudienceFilter {
  /** Only accounts affected by this incident. */
  incidentId?: string;
  /** Accounts whose owner is (not) available now: PTO and working hours. */
  owners?: 'online' | 'offline';
  /** Leave out the accounts of these owners (person ids), e.g. those already talking 1:1 with customers. */
  excludeOwners?: string[];
  /** Owner regions (americas, emea, apac) or product regions the account runs in (us, eu, …). */
  regions?: string[];
  tiers?: ('standard' | 'high-touch')[];
  /** Accounts using any of these product services. */
  services?: string[];
}

export interface BroadcastTarget {
  accountId: string;
  channelId: string;
}

export interface BroadcastCounts {
  sent: number;
  failed: number;
  pending: number;
}

/** Where a broadcast stands, from its batches' counts (services/delivery/progress.ts). */
export interface BroadcastProgress extends BroadcastCounts {
  total: number;
  /** Channels with a final outcome (sent or failed). */
  done: number;
  /** Seconds until every channel is done at the pace so far; absent before the first batch or when done. */
  etaSeconds?: number;
}

export interface BroadcastRecord {
  broadcastId: string;
  /** The message, exactly as the CMOC wrote it (Slack mrkdwn). */
  text: string;
  filter: AudienceFilter;
  /** The CMOC (person id) who asked for it. */
  requestedBy: string;
  /** Why a broadcast: the incident's severity, "security", or "maintenance". */
  reason: string;
  incidentId?: string;
  /** Where the team watches for customer replies (the roster's engagement channel unless overridden). */
  engagementChannelId?: string;
  createdAt: string;
  status: 'requested' | 'sending' | 'finished';
  plannedAt?: string;
  total?: number;
  batches?: number;
  /** Accounts in the audience without a Slack channel: a broadcast cannot reach them. */
  withoutSlack?: string[];
  progressMessage?: { channel: string; ts: string };
  finishedAt?: string;
  outcome?: BroadcastCounts;
}
