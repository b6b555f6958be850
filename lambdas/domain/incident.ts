import type { Channel } from './severity.ts';
import type { Phase, Severity } from '../contract/payloads.ts';
import type { MrkdwnSection } from './slack-sections.ts';

/** What the workflow knows about an incident; everything a template may need. */
export interface IncidentFacts {
  id: string;
  title: string;
  severity: Severity;
  /** Product services affected ("ingestion", "session-replay"). */
  services: string[];
  /** Product regions affected ("us", "eu"); absent = all. */
  regions?: string[];
  /** ISO 8601. */
  startedAt: string;
  resolvedAt?: string;
  /** Customer words for what is affected ("event ingestion"); defaults to the services. */
  feature?: string;
  /** What customers may notice ("events arriving late"). */
  symptom?: string;
  /** What the incident did, for the resolution ("events sent 10:05–11:42 were delayed, none lost"). */
  impact?: string;
  rootCause?: string;
  /** The engineering lead's latest update ("Root cause identified (Redis queue saturation). Fix in progress."). */
  engineeringUpdate?: string;
  /** Minutes until the next update; undefined = the severity's cadence; null = no further scheduled update. */
  nextUpdateMinutes?: number | null;
  writeUpUrl?: string;
  /** Back after customers were told it was resolved (PagerDuty reopened it): the first message says so. */
  recurred?: boolean;
  maintenance?: { system: string; start: string; end: string };
}

/** The person signing ("— Ada, <Company>"). */
export interface Sender {
  name: string;
}

export type TemplateId =
  | 'critical'
  | 'critical-resolution'
  | 'major'
  | 'minor'
  | 'informational'
  | 'during'
  | 'resolution'
  | 'maintenance-heads-up'
  | 'maintenance-complete'
  | 'postmortem';

export interface RenderedMessage {
  channel: Channel;
  /** Email subject; Slack shows it as the bold first line; SMS has none. */
  subject?: string;
  /** Plain text: the email text part, the Slack notification fallback (mrkdwn), the SMS body. */
  text: string;
  html?: string;
  /** Slack Block Kit blocks: the text's paragraphs as sections. */
  blocks?: MrkdwnSection[];
  smsSegments?: number;
  smsEncoding?: 'GSM-7' | 'UCS-2';
  phase: Phase;
  severity: Severity;
  /** Which handbook template was used. */
  template: TemplateId;
}
