import { TemplateError } from './errors.ts';
import type { TemplateId } from './incident.ts';
import type { Phase } from '../contract/payloads.ts';
import { promisesNextUpdate } from './ladder.ts';
import { INITIAL_TEMPLATES, type SeverityPolicy } from './severity.ts';
import { SLOT_SOURCES, type Slots } from './slots.ts';

/**
 * The handbook's templates ("Templates" and the Slack example's "During" line), as text with {slot}
 * placeholders. Channel formatting happens in render.ts; this file is only the words.
 */
export interface Draft {
  template: TemplateId;
  subject: string;
  greeting: string;
  /** Paragraphs; each is one or more lines. */
  paragraphs: string[][];
  signature: string;
  /** SMS bodies, richest first; the renderer picks the richest that fits the fewest segments. */
  sms: string[];
  smsSignature: string;
}

interface Ctx {
  fill: (text: string) => string;
  has: (slot: string) => boolean;
  /** Whether open-incident messages promise the next update (ladder.ts promisesNextUpdate). */
  promises: boolean;
}

type Words = Omit<Draft, 'template' | 'greeting' | 'signature' | 'smsSignature'>;

const TEMPLATES: Record<TemplateId, (c: Ctx) => Words> = {
  // Handbook "Critical".
  critical: ({ fill, has }) => {
    const what = has('symptom') ? 'You may see {symptom}.' : 'Here’s what we know so far: {title}.';
    return {
      subject: fill('{company} Outage – We’re investigating'),
      paragraphs: [
        [
          fill(
            `We’re investigating a major outage affecting {feature}. ${what} Engineers are on it — updates {every} until resolved.`,
          ),
        ],
        [
          fill(
            'We know this may disrupt your work — thanks for your patience while we get things back online.',
          ),
        ],
      ],
      sms: [
        ...(has('symptom')
          ? [
              fill(
                '{company}: we’re investigating a major outage affecting {feature}. You may see {symptom}. Engineers are on it; updates {everyShort}.',
              ),
            ]
          : []),
        fill(
          '{company}: we’re investigating a major outage affecting {feature}. Engineers are on it; updates {everyShort}.',
        ),
        fill('{company} outage affecting {feature}. Engineers on it; updates {everyShort}.'),
      ],
    };
  },
  // Handbook "Critical", "Follow-Up (Resolution)".
  'critical-resolution': ({ fill, has }) => {
    // Root cause is often not confirmed when service comes back; say so plainly instead of blocking the
    // resolution message, and carry it in the write-up.
    const cause = has('rootCause')
      ? 'Root cause: {rootCause}.'
      : 'We’re still confirming the root cause and will include it in the write-up.';
    const writeUp = has('postmortemHours')
      ? 'We’re monitoring and will share a full write-up within {postmortemHours} hours.'
      : 'We’re monitoring closely.';
    const smsWriteUp = has('postmortemHours') ? ' Full write-up within {postmortemHours} h.' : '';
    return {
      subject: fill('{company} Outage – Resolved'),
      paragraphs: [
        [fill(`Good news — the issue is resolved. ${cause}`)],
        [fill('Duration: {duration}.'), fill('Impact: {impact}.')],
        [fill(writeUp)],
      ],
      sms: [
        ...(has('rootCause')
          ? [
              fill(
                `{company}: good news, the {feature} outage is resolved ({durationShort}). Root cause: {rootCause}.${smsWriteUp}`,
              ),
            ]
          : []),
        fill(`{company}: good news, the {feature} outage is resolved ({durationShort}).${smsWriteUp}`),
        fill('{company}: good news, the {feature} outage is resolved.'),
      ],
    };
  },
  // Handbook "Major".
  major: ({ fill, has }) => {
    const what = has('symptom') ? 'You might notice {symptom}.' : 'Here’s what we know so far: {title}.';
    return {
      subject: fill('Performance issues in {Feature}'),
      paragraphs: [
        [
          fill(
            `We’re seeing performance issues in {feature}. ${what} We’re mitigating and will update {within}.`,
          ),
        ],
        [fill('Thanks for your patience!')],
      ],
      sms: [
        ...(has('symptom')
          ? [
              fill(
                '{company}: we’re seeing performance issues in {feature}. You might notice {symptom}. We’re mitigating; next update {withinShort}.',
              ),
            ]
          : []),
        fill(
          '{company}: we’re seeing performance issues in {feature}. We’re mitigating; next update {withinShort}.',
        ),
      ],
    };
  },
  // Handbook "Minor". The subject names the area; Slack and SMS have no subject, so the body names it too.
  minor: ({ fill, has }) => ({
    subject: fill('Slower performance in {feature}'),
    paragraphs: [
      [
        fill(
          `FYI — we’re seeing slower performance in {feature}${has('symptom') ? ' ({symptom})' : ''}. ` +
            'This shouldn’t block you, but we’re monitoring closely. I’ll update once it’s stable.',
        ),
      ],
    ],
    sms: [
      fill(
        '{company} FYI: slower performance in {feature}. This shouldn’t block you; we’re monitoring closely and I’ll update once it’s stable.',
      ),
      fill('{company} FYI: slower performance in {feature}. I’ll update once it’s stable.'),
    ],
  }),
  // SEV4 without a maintenance window: the handbook's "recovered incidents, scaling events".
  informational: ({ fill, has }) => ({
    subject: fill('FYI – {Feature}'),
    paragraphs: [
      [
        fill(
          `FYI — a heads-up about {feature}: {title}.${has('symptom') ? ' You might notice {symptom}.' : ''} ` +
            'No action is needed on your side, and I’ll confirm once it’s done.',
        ),
      ],
    ],
    sms: [fill('{company} FYI about {feature}: {title}. No action needed; I’ll confirm once it’s done.')],
  }),
  // Handbook "Example Slack workflow", step 5 ("During").
  during: ({ fill, has, promises }) => {
    const news = has('update')
      ? '{update}'
      : has('rootCause')
        ? 'Root cause identified ({rootCause}). Fix in progress.'
        : 'we’re still working on it and don’t know the cause yet.';
    const next = promises ? 'Next update {within}.' : 'I’ll update once it’s stable.';
    const smsNext = promises ? 'Next update {withinShort}.' : 'I’ll update once it’s stable.';
    return {
      subject: fill('Update – {Feature}'),
      paragraphs: [[fill(`Quick update on {feature}: ${news}`)], [fill(next)]],
      // Shorter wordings only drop words, never the news itself; fitSms cuts the news last.
      sms: [
        fill(`{company} update on {feature}: ${news} ${smsNext}`),
        fill(`{company} update: ${news} ${smsNext}`),
      ],
    };
  },
  // Resolution for SEV2–SEV4 (the handbook's Slack example: "Resolved at 11:42 UTC. Write-up soon.").
  // A level updated on a cadence (SEV2) also says how long it lasted and thanks them for their patience.
  resolution: ({ fill, has, promises }) => {
    const cause = has('rootCause') ? ' Root cause: {rootCause}.' : '';
    const writeUp = has('postmortemHours') ? [[fill('Write-up within {postmortemHours} hours.')]] : [];
    const details = promises ? [[fill('Duration: {duration}.')], [fill('Thanks for your patience!')]] : [];
    return {
      subject: fill('Resolved – {Feature}'),
      paragraphs: [
        [fill(`Good news — {feature} is back to normal. Resolved at {resolvedTime}.${cause}`)],
        ...details,
        ...writeUp,
      ],
      sms: [fill('{company}: good news, {feature} is back to normal (resolved at {resolvedTime}).')],
    };
  },
  // Handbook "Planned maintenance".
  'maintenance-heads-up': ({ fill, has }) => {
    const effect = has('symptom')
      ? 'No downtime expected, but {symptom}.'
      : has('feature')
        ? 'No downtime expected, but {feature} may be briefly delayed.'
        : 'No downtime expected.';
    return {
      subject: fill('Maintenance – {system}'),
      paragraphs: [
        [fill(`Heads up — maintenance on {system} {window}. ${effect} We’ll confirm once complete.`)],
      ],
      sms: [
        fill(
          '{company} heads-up: maintenance on {system} {window}. No downtime expected; we’ll confirm once complete.',
        ),
      ],
    };
  },
  'maintenance-complete': ({ fill }) => ({
    subject: fill('Maintenance complete – {system}'),
    paragraphs: [
      [
        fill(
          'Maintenance on {system} is complete and everything is running normally. Thanks for bearing with us.',
        ),
      ],
    ],
    sms: [fill('{company}: maintenance on {system} is complete; everything is running normally.')],
  }),
  // The write-up the Critical resolution promises.
  postmortem: ({ fill, has }) => ({
    subject: fill('Write-up: {title}'),
    paragraphs: [
      [fill('As promised, here’s the full write-up of the {feature} incident on {startedDay}: {writeUpUrl}')],
      ...(has('rootCause') ? [[fill('In short: {rootCause}.')]] : []),
      [
        fill(
          'If anything in it raises questions for your team, reply here — I’m happy to walk you through it.',
        ),
      ],
    ],
    sms: [fill('{company}: the write-up of the {feature} incident is ready: {writeUpUrl}')],
  }),
};

/** The level's own templates (policy `templates`); planned work opens with the maintenance heads-up. */
export function chooseTemplate(
  phase: Phase,
  level: Pick<SeverityPolicy, 'templates'>,
  hasMaintenance: boolean,
): TemplateId {
  switch (phase) {
    case 'initial': {
      const initial = level.templates.initial;
      return initial === 'informational' && hasMaintenance ? 'maintenance-heads-up' : initial;
    }
    case 'update':
      return 'during';
    case 'resolution':
      return level.templates.resolution;
    default:
      return phase;
  }
}

/** The templates that open an incident's comms: the ones a reopened incident starts with again. */
const FIRST_MESSAGES: ReadonlySet<TemplateId> = new Set(INITIAL_TEMPLATES);

/**
 * A reopened incident's first message says plainly that it is back, in every channel: customers were told
 * it was fixed, and a fresh "we're investigating" would read as a new, unrelated problem.
 */
function recurrence(words: Words, fill: (text: string) => string): Words {
  const company = fill('{company}');
  const [first = [], ...rest] = words.paragraphs;
  return {
    subject: `Back again – ${words.subject}`,
    paragraphs: [
      [fill('The problem with {feature} that we told you was fixed has come back.'), ...first],
      ...rest,
    ],
    sms: words.sms.map((text) =>
      text.startsWith(company) ? `${company} (back again)${text.slice(company.length)}` : text,
    ),
  };
}

/** Fills a template. Throws TemplateError naming every placeholder left without a value. */
export function draft(
  template: TemplateId,
  level: Pick<SeverityPolicy, 'cadenceMinutes'>,
  slots: Slots,
  context: string,
): Draft {
  const missing = new Set<string>();
  const has = (slot: string) => slots[slot] !== undefined;
  const fill = (text: string) =>
    text.replace(/\{([A-Za-z]+)\}/g, (_, slot: string) => {
      const value = slots[slot];
      if (value === undefined) missing.add(SLOT_SOURCES[slot] ?? slot);
      return value ?? `{${slot}}`;
    });
  const base = TEMPLATES[template]({ fill, has, promises: promisesNextUpdate(level) });
  const words = has('recurred') && FIRST_MESSAGES.has(template) ? recurrence(base, fill) : base;
  const result: Draft = {
    template,
    ...words,
    greeting: fill('Hey {greeting},'),
    signature: fill('— {sender}, {company}'),
    smsSignature: fill(' - {sender}'),
  };
  if (missing.size > 0) throw new TemplateError(context, [...missing]);
  return result;
}
