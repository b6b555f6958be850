import type { IncidentFacts, RenderedMessage, Sender } from './incident.ts';
import { policyFor } from './ladder.ts';
import type { PolicyConfig } from './policy.ts';
import { buildSlots } from './slots.ts';
import { mrkdwnSections, slackEscape } from './slack-sections.ts';
import { fitSms } from './sms.ts';
import type { Channel } from './severity.ts';
import type { Phase } from '../contract/payloads.ts';
import { chooseTemplate, draft, type Draft } from './templates.ts';

export interface RenderInput {
  phase: Phase;
  channel: Channel;
  incident: IncidentFacts;
  account: { name: string; greeting?: string };
  sender: Sender;
  /** The company name signing every message: configuration (the roster's company.name), never code. */
  company: string;
  /** Zone for the times in the message; the account's own zone where known. Default UTC. */
  timeZone?: string;
  /** Overrides of the severity policy (cadence, write-up promise). */
  policy?: PolicyConfig;
}

/**
 * Renders one customer message for one channel. Throws TemplateError when any placeholder stays
 * unfilled: such a message is never sent.
 */
export function renderUpdate(input: RenderInput): RenderedMessage {
  const { phase, channel, incident } = input;
  const { template, words } = wordsFor(input, `for ${channel}`);
  const base = { channel, phase, severity: incident.severity, template };
  switch (channel) {
    case 'slack':
      return { ...base, ...slack(words) };
    case 'email':
      return { ...base, ...email(words) };
    case 'sms': {
      const sms = fitSms(words.sms, words.smsSignature);
      return { ...base, text: sms.text, smsSegments: sms.segments, smsEncoding: sms.encoding };
    }
  }
}

/**
 * One message for every customer channel at once, in the company's voice (a level's broadcast at start):
 * the same template's words as an owner's draft, without the greeting and the personal signature, times
 * in UTC. Slack mrkdwn, as a `/comms broadcast` text is.
 */
export function renderCompanyUpdate(
  input: Pick<RenderInput, 'phase' | 'incident' | 'company' | 'policy'>,
): string {
  const { company } = input;
  const { words } = wordsFor(
    { ...input, account: { name: company }, sender: { name: company }, timeZone: 'UTC' },
    'broadcast',
  );
  const paragraphs = words.paragraphs.map((lines) => slackEscape(lines.join('\n')));
  return [`*${slackEscape(words.subject)}*`, ...paragraphs].join('\n\n');
}

/** The level's template for the phase, filled; `what` names the message in a TemplateError. */
function wordsFor(
  input: Omit<RenderInput, 'channel'>,
  what: string,
): { template: ReturnType<typeof chooseTemplate>; words: Draft } {
  const { phase, incident } = input;
  const policy = policyFor(incident.severity, input.policy);
  const slots = buildSlots({ ...input, timeZone: input.timeZone ?? 'UTC', policy });
  const template = chooseTemplate(phase, policy, incident.maintenance !== undefined);
  const words = draft(template, policy, slots, `${incident.severity} ${phase} (${template}) ${what}`);
  return { template, words };
}

function plainParagraphs(words: Draft): string[] {
  return [words.greeting, ...words.paragraphs.map((lines) => lines.join('\n')), words.signature];
}

function slack(words: Draft): Pick<RenderedMessage, 'subject' | 'text' | 'blocks'> {
  const parts = [`*${slackEscape(words.subject)}*`, ...plainParagraphs(words).map(slackEscape)];
  return { subject: words.subject, text: parts.join('\n\n'), blocks: mrkdwnSections(parts) };
}

function email(words: Draft): Pick<RenderedMessage, 'subject' | 'text' | 'html'> {
  const paragraphs = plainParagraphs(words);
  const html = paragraphs
    .map((p) => `<p style="margin:0 0 1em">${p.split('\n').map(htmlLine).join('<br>')}</p>`)
    .join('\n');
  return {
    subject: words.subject,
    text: paragraphs.join('\n\n'),
    html:
      '<!doctype html>\n<html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;' +
      `font-size:15px;line-height:1.5;color:#1d1d1f">\n${html}\n</body></html>`,
  };
}

const htmlEscape = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Escapes a line and turns bare https links (the write-up) into anchors. */
function htmlLine(line: string): string {
  return line
    .split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/)
    .map((piece, i) =>
      i % 2 === 1 ? `<a href="${htmlEscape(piece)}">${htmlEscape(piece)}</a>` : htmlEscape(piece),
    )
    .join('');
}
