import type { Severity } from '../../../contract/payloads.ts';
import { findLevel, levelNames } from '../../../domain/ladder.ts';
import type { PolicyConfig } from '../../../domain/policy.ts';
import { INCIDENT_EXECUTION_SECONDS } from '../../../contract/workflow-limits.ts';
import { latestMaintenanceEnd } from '../../../domain/maintenance.ts';
import { humanList } from '../../../domain/wording.ts';

/**
 * Reading what a person typed after `/comms`. Pure: the handler brings the roster's known services and
 * regions. Every failure is a sentence for the person, shown above the usage.
 */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

/** Slack escapes &, < and > in command text; people type straight or curly quotes. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The first word and everything after it, untouched (an update's text keeps its line breaks). */
export function splitFirst(text: string): { first: string; rest: string } {
  const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  return match ? { first: match[1] ?? '', rest: (match[2] ?? '').trim() } : { first: '', rest: '' };
}

const QUOTE_PAIRS: Record<string, string> = { '"': '"', '“': '”', '”': '”', "'": "'", '‘': '’' };

/** A leading quoted phrase ("…", “…”), or the first word; and what follows it. */
export function takePhrase(text: string): { phrase: string; rest: string; quoted: boolean } {
  const trimmed = text.trimStart();
  const open = trimmed[0] ?? '';
  const close = QUOTE_PAIRS[open];
  if (close) {
    const end = trimmed.indexOf(close, 1);
    if (end < 0) throw new ArgumentError(`The quote ${open} is never closed.`);
    return { phrase: trimmed.slice(1, end).trim(), rest: trimmed.slice(end + 1).trim(), quoted: true };
  }
  const { first, rest } = splitFirst(trimmed);
  return { phrase: first, rest, quoted: false };
}

/** "SEV2", "sev2", "2" → SEV2: a level of the company's ladder (domain/ladder.ts findLevel). */
export function parseSeverity(word: string, config?: PolicyConfig): Severity {
  const level = findLevel(word, config);
  if (level) return level;
  throw new ArgumentError(`"${word}" is not a severity: use ${humanList(levelNames(config), 'or')}.`);
}

/** A comma- or space-separated list, each item one of `known` (case-insensitive), as `known` spells it. */
export function parseList(text: string, known: readonly string[], what: string): string[] {
  const items = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const item of items) {
    const match = known.find((k) => k.toLowerCase() === item.toLowerCase());
    if (!match) {
      throw new ArgumentError(`"${item}" is not a known ${what}. Known: ${known.join(', ') || 'none'}.`);
    }
    if (!out.includes(match)) out.push(match);
  }
  return out;
}

/**
 * An ISO 8601 time: `2026-11-08T02:00Z`, `2026-11-08T02:00+01:00`, or `2026-11-08T02:00` (read as UTC: a
 * command has no time zone of its own). Returned as an ISO string in UTC.
 */
export function parseTime(word: string, label: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(word.trim());
  const zone = (match?.[3] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const parsed = match ? Date.parse(`${match[1]}T${match[2]}${zone}`) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw new ArgumentError(`${label} "${word}" is not a time: write it like 2026-11-08T02:00Z.`);
  }
  return new Date(parsed).toISOString();
}

/** Incident ids: PagerDuty's ("Q2K8ZJ4XB1YQ7M") and ours ("S20261105-01"). */
export function looksLikeIncidentId(word: string): boolean {
  return /^[A-Za-z0-9_-]{3,64}$/.test(word) && /\d/.test(word) && word === word.toUpperCase();
}

export interface DeclareArgs {
  severity: Severity;
  title: string;
  /** Empty: every service. */
  services: string[];
}

/** `declare <sev> <title> [services]`; with services the title is quoted. */
export function parseDeclare(
  text: string,
  knownServices: readonly string[],
  config?: PolicyConfig,
): DeclareArgs {
  const { first, rest } = splitFirst(text);
  if (!first) throw new ArgumentError('Say how severe it is and what is happening.');
  const severity = parseSeverity(first, config);
  if (!rest) throw new ArgumentError('Give the incident a title.');
  const { phrase, rest: after, quoted } = takePhrase(rest);
  const title = (quoted ? phrase : rest).trim();
  if (!title) throw new ArgumentError('Give the incident a title.');
  if (title.length > 150) throw new ArgumentError('Keep the title under 150 characters.');
  const services = quoted && after ? parseList(after, knownServices, 'service') : [];
  return { severity, title, services };
}

export interface MaintenanceArgs {
  system: string;
  start: string;
  end: string;
  regions: string[];
}

const DAY_MS = 24 * 3600 * 1000;
/** Windows longer than this are not maintenance (how far ahead one may end: latestMaintenanceEnd). */
const MAX_WINDOW_MS = 7 * DAY_MS;

/** `maintenance <system> <start> <end> [regions]`; a system of several words is quoted. */
export function parseMaintenance(text: string, knownRegions: readonly string[], now: Date): MaintenanceArgs {
  const { phrase: system, rest } = takePhrase(text);
  if (!system) throw new ArgumentError('Name the system under maintenance.');
  if (system.length > 100) throw new ArgumentError('Keep the system name under 100 characters.');
  const { first: startWord, rest: afterStart } = splitFirst(rest);
  const { first: endWord, rest: regionText } = splitFirst(afterStart);
  if (!startWord || !endWord) throw new ArgumentError('Give the start and the end of the window.');
  const start = parseTime(startWord, 'Start');
  const end = parseTime(endWord, 'End');
  if (Date.parse(end) <= Date.parse(start)) throw new ArgumentError('The window must end after it starts.');
  if (Date.parse(end) <= now.getTime()) throw new ArgumentError('That window is already over.');
  if (Date.parse(end) - Date.parse(start) > MAX_WINDOW_MS) {
    throw new ArgumentError('A maintenance window can be at most 7 days long.');
  }
  const regions = parseList(regionText, knownRegions, 'region');
  const latest = latestMaintenanceEnd(now);
  if (Date.parse(end) > latest.getTime()) {
    const days = Math.round((latest.getTime() - now.getTime()) / DAY_MS);
    throw new ArgumentError(
      `A maintenance window must end within ${days} days (by ${latest.toISOString().slice(0, 16).replace('T', ' ')} UTC): ` +
        `the workflow that announces and closes it runs at most ${INCIDENT_EXECUTION_SECONDS / (DAY_MS / 1000)} days ` +
        `(${INCIDENT_EXECUTION_SECONDS.toLocaleString('en-US')} s). Declare it again nearer the time.`,
    );
  }
  return { system, start, end, regions };
}
