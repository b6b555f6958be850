import type { Severity } from '../../contract/payloads.ts';

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface IncidentMaintenance {
  system: string;
  start: string;
  end: string;
  regions: string[];
}

export interface IncidentClock {
  at: string;
  origin: string;
  rate: number;
}

/**
 * "Now" for an incident at wall-clock `wallMs`: what availability, cadence and schedules are judged by. The wall clock unless the
 * incident carries its own clock (see IncidentRecord.clock).
 */
export function incidentNow(incident: Pick<IncidentRecord, 'clock'>, wallMs: number): Date {
  const clock = incident.clock;
  if (!clock) return new Date(wallMs);
  return new Date(Date.parse(clock.at) + (wallMs - Date.parse(clock.origin)) * clock.rate);
}

/**
 * Open: not resolved, and not a maintenance window (planned, announced on its own timetable). What
 * `/comms` means by "the only open incident" and what the dashboard counts as open.
 */
export const isOpenIncident = (incident: Pick<IncidentRecord, 'status' | 'maintenance'>): boolean =>
  incident.status !== 'resolved' && !incident.maintenance;

export interface IncidentChannel {
  id: string;
  name: string;
  /** The opening summary, posted once. */
  summaryTs?: string;
  /** The pinned status message, kept current with chat.update. */
  pinTs?: string;
  pinned?: boolean;
  /** Archived on close, after the closing summary. */
  archived?: boolean;
  /** Reopened: the channel of the time before, archived (a bot cannot unarchive a Slack channel). */
  previous?: { id: string; name: string };
}

/** The incident item (INCIDENT#<id> / META). No contact details; the CMOC is a roster person id. */
export interface IncidentRecord {
  incidentId: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  services: string[];
  regions: string[];
  source: 'pagerduty' | 'slack';
  pagerduty?: { number?: number; htmlUrl?: string; serviceId?: string; priority?: string; urgency?: string };
  startedAt: string;
  resolvedAt?: string;
  cmocId: string;
  /**
   * The engineering incident lead, a roster person id: PagerDuty's first assignee the roster knows, or who
   * the CMOC named with `/comms lead`. Reminded about a SEV1's write-up.
   */
  leadId?: string;
  /** The incident's current execution: `incident-<id>`, then `incident-<id>-r<n>` after the n-th reopening. */
  executionName: string;
  /** How often the incident was reopened after its execution had finished (incident-reopen.ts). */
  reopenings?: number;
  /** The event that started the current execution on a reopening: a retry of it starts nothing new. */
  reopenedBy?: string;
  /** `rounds` when the current execution started on a reopening: rounds above it are the new execution's. */
  roundsAtReopen?: number;
  rounds: number;
  lastRoundAt?: string;
  engineeringUpdate?: string;
  rootCause?: string;
  /**
   * Planned maintenance (`/comms maintenance`): a SEV4 incident announced before the window and confirmed
   * after it. ISO 8601 times; regions are product regions ("us", "eu"), empty = all.
   */
  maintenance?: IncidentMaintenance;
  /**
   * The incident channel (services/incident-channel.ts), recorded step by step so a retried step adopts
   * what an earlier try made instead of making it twice.
   */
  incidentChannel?: IncidentChannel;
  /** The write-up link (SEV1 postmortem), once engineering has published it. */
  writeUpUrl?: string;
  /** The CMOC's answer to "customer impact?": start comms, or the incident needs none. */
  commsDecision?: 'start' | 'no_impact';
  /** When the CMOC last asked for an update now; a round drafted after it answers it. */
  updateRequestedAt?: string;
  /** When the workflow asked the CMOC to confirm customer impact (a SEV1's auto-start counts from it). */
  commsAskedAt?: string;
  /** When the first customer was told about the incident (time to first notice), set once. */
  firstNoticeAt?: string;
  /**
   * The incident's own clock, for a run on a simulated timeline (demo, tests, benchmarks): at wall-clock
   * `origin` it was `at`, and it runs `rate` times as fast as the wall clock. Absent: the wall clock.
   */
  clock?: IncidentClock;
  /** The parked wait's task token, present only while the execution waits for the next update or an event. */
  waitToken?: string;
  /**
   * The CMOC pressed **Stop comms** on a step that failed past its retries: nothing more goes to customers
   * and the execution ends (docs/architecture.md, "When a step fails"). The first stop is the one kept.
   */
  commsStopped?: CommsStopped;
}

export interface CommsStopped {
  /** The CMOC who pressed, a roster person id. */
  by: string;
  at: string;
  /** The step that had failed (its state name). */
  step: string;
}
