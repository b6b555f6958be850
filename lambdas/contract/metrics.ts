/**
 * The product's own CloudWatch metrics (embedded metric format, Powertools Metrics): one namespace, and the
 * deployment's service name (POWERTOOLS_SERVICE_NAME, the stack name) as the `service` dimension of every
 * one. The code that emits them (lambdas/adapters/metrics.ts) and the alarms and dashboard that read them
 * (lib/constructs/monitoring.ts) use these names, so the two cannot drift apart.
 */
export const METRICS_NAMESPACE = 'IncidentComms';

/** Powertools' name for the dimension that carries the service name. */
export const SERVICE_DIMENSION = 'service';

export const METRIC = {
  /** An incident was declared (PagerDuty or `/comms declare`), or reopened. Count. */
  incidentsOpened: 'IncidentsOpened',
  /** An incident was resolved. Count. */
  incidentsResolved: 'IncidentsResolved',
  /** Incidents open (not resolved, not maintenance) right after one opened or resolved. Gauge. */
  incidentsOpen: 'IncidentsOpen',
  /** One customer recipient's outcome, decided once per recipient: dimensions Channel and Outcome. Count. */
  customerSends: 'CustomerSends',
  /** A carrier's final word on an SMS (Twilio's receipt): dimension Status. Count. */
  smsReceipts: 'SmsReceipts',
  /** An update handed on because the person asked could not send it: dimension To. Count. */
  escalations: 'Escalations',
  /** From the incident's start to the first customer told about it. Seconds. */
  timeToFirstNotice: 'TimeToFirstNotice',
} as const;

export const DIMENSION = {
  channel: 'Channel',
  outcome: 'Outcome',
  status: 'Status',
  to: 'To',
} as const;

/** Where customer messages go (the notification log's channels). */
export const SEND_CHANNELS = ['slack', 'email', 'sms'] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];

/** How a recipient ended: sent by the product, sent by the owner by hand, or failed for good. */
export const SEND_OUTCOMES = ['sent', 'sent_by_owner', 'failed'] as const;
export type SendOutcome = (typeof SEND_OUTCOMES)[number];

/** A carrier's final statuses; `undelivered` and `failed` did not reach the handset. */
export const SMS_FINAL_STATUSES = ['delivered', 'undelivered', 'failed'] as const;
export type SmsFinalStatus = (typeof SMS_FINAL_STATUSES)[number];

/** Who an update went to next: the regional backup, or the CMOC's fallback (company send or alert). */
export const ESCALATION_TARGETS = ['backup', 'cmoc'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];
