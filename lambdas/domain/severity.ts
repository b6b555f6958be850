import type { Severity } from '../contract/payloads.ts';

export const CHANNELS = ['slack', 'email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The templates a level may open with, and close with (domain/templates.ts). */
export const INITIAL_TEMPLATES = ['critical', 'major', 'minor', 'informational'] as const;
export const RESOLUTION_TEMPLATES = ['critical-resolution', 'resolution'] as const;
/** The opening templates whose words (templates.ts) promise updates on a cadence ("updates every 30 minutes"). */
export const PROMISING_OPENINGS: ReadonlySet<string> = new Set<(typeof INITIAL_TEMPLATES)[number]>([
  'critical',
  'major',
]);

/** One level of the company's ladder (policy `levels`; the handbook's four by default). */
export interface SeverityPolicy {
  /** The level's name as people write it (`SEV1`, `SEV0`); the ladder's order is the policy's. */
  severity: Severity;
  /** The handbook's name for the level: "Critical", "Major", "Minor", "Informational / Planned". */
  label: string;
  meaning: string;
  /** Customer channels in the handbook's order of preference. */
  channels: Channel[];
  /**
   * `all`: every listed channel the account has (SEV1: "Slack → Email → SMS if needed").
   * `first`: the first listed channel the account has (SEV2: "Slack or Email").
   */
  channelMode: 'all' | 'first';
  /** Minutes between customer updates; null = only at start and close (SEV3, SEV4). */
  cadenceMinutes: number | null;
  /** The handbook's upper bound for the cadence ("every 30–60 min"); null when there is no cadence. */
  maxCadenceMinutes: number | null;
  /** How long an account owner has to send (or hand off) before the regional backup is asked. */
  ownerTimeoutMinutes: number;
  /** How long the backup has before the CMOC falls back (sends, or broadcasts where allowed). */
  backupTimeoutMinutes: number;
  /** Whether the CMOC confirms drafts before owners see them. */
  cmocReview: boolean;
  /** Whether comms start without the CMOC confirming ("Proactive by default" for SEV1). */
  autoStart: boolean;
  /** With autoStart: how long the CMOC has to hold or edit before comms start anyway. Ignored otherwise. */
  autoStartAfterMinutes: number;
  /** Write-up promised within this many hours of resolution; null = no write-up promised. */
  postmortemHours: number | null;
  /** Whether the CMOC may broadcast to every customer channel at once (handbook "Using Pylon for broadcasts"). */
  broadcastAllowed: boolean;
  /**
   * Whether the first update goes out as one company broadcast to every affected account's Slack channel
   * (SEV0: "immediate company broadcast"), instead of each owner sending it; later updates go by owner.
   */
  broadcastAtStart: boolean;
  /** Which wording opens and closes the incident for customers. */
  templates: {
    initial: (typeof INITIAL_TEMPLATES)[number];
    resolution: (typeof RESOLUTION_TEMPLATES)[number];
  };
}

/** The handbook's four levels, most severe first: the ladder when the policy defines none. */
export const DEFAULT_SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type DefaultSeverity = (typeof DEFAULT_SEVERITIES)[number];

export const DEFAULT_POLICIES: Readonly<Record<DefaultSeverity, Readonly<SeverityPolicy>>> = {
  SEV1: {
    severity: 'SEV1',
    label: 'Critical',
    meaning: 'Major outage or data loss; widespread impact.',
    channels: ['slack', 'email', 'sms'],
    channelMode: 'all',
    cadenceMinutes: 30,
    maxCadenceMinutes: 60,
    // Owner and backup together stay inside one cadence, so the first update lands before the second is due.
    ownerTimeoutMinutes: 10,
    backupTimeoutMinutes: 10,
    cmocReview: true,
    autoStart: true,
    autoStartAfterMinutes: 5,
    postmortemHours: 48,
    broadcastAllowed: true,
    broadcastAtStart: false,
    templates: { initial: 'critical', resolution: 'critical-resolution' },
  },
  SEV2: {
    severity: 'SEV2',
    label: 'Major',
    meaning: 'Partial degradation or downtime; workaround available.',
    channels: ['slack', 'email'],
    channelMode: 'first',
    cadenceMinutes: 60,
    maxCadenceMinutes: 120,
    ownerTimeoutMinutes: 20,
    backupTimeoutMinutes: 20,
    cmocReview: true,
    autoStart: false,
    autoStartAfterMinutes: 15,
    postmortemHours: null,
    broadcastAllowed: false,
    broadcastAtStart: false,
    templates: { initial: 'major', resolution: 'resolution' },
  },
  SEV3: {
    severity: 'SEV3',
    label: 'Minor',
    meaning: 'Limited impact or slow recovery.',
    channels: ['slack'],
    channelMode: 'first',
    cadenceMinutes: null,
    maxCadenceMinutes: null,
    ownerTimeoutMinutes: 60,
    backupTimeoutMinutes: 60,
    cmocReview: false,
    autoStart: false,
    autoStartAfterMinutes: 30,
    postmortemHours: null,
    broadcastAllowed: false,
    broadcastAtStart: false,
    templates: { initial: 'minor', resolution: 'resolution' },
  },
  SEV4: {
    severity: 'SEV4',
    label: 'Informational / Planned',
    meaning: 'Maintenance or recovered incidents.',
    channels: ['email', 'slack'],
    channelMode: 'first',
    cadenceMinutes: null,
    maxCadenceMinutes: null,
    ownerTimeoutMinutes: 120,
    backupTimeoutMinutes: 120,
    cmocReview: false,
    autoStart: false,
    autoStartAfterMinutes: 60,
    postmortemHours: null,
    // The handbook lists "Email or Slack broadcast" for planned work.
    broadcastAllowed: true,
    broadcastAtStart: false,
    templates: { initial: 'informational', resolution: 'resolution' },
  },
};
