import type { AccountDraft } from './records/round.ts';
import { mrkdwnSections, slackEscape } from './slack-sections.ts';

/**
 * An owner edits one text for all their accounts; each account keeps its own greeting ("Hey Acme,") and
 * subject. The drafts render as paragraphs separated by a blank line: email = greeting, body…; Slack =
 * *subject*, greeting, body… (escaped for mrkdwn). SMS is a separate short rendering and is left as drafted.
 */
const PARAGRAPH = '\n\n';
const GREETING = /^(?:hey|hi|hello|dear)\b[^\n]{0,200},$/i;

function splitGreeting(text: string): { greeting?: string; body: string } {
  const [first = '', ...rest] = text.split(PARAGRAPH);
  return GREETING.test(first.trim())
    ? { greeting: first.trim(), body: rest.join(PARAGRAPH) }
    : { body: text };
}

/** The part of a draft the owner edits: the email text without its greeting (plain text, unescaped). */
export function editableBody(draft: AccountDraft): string {
  return splitGreeting(draft.email.text).body;
}

const htmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function normalise(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, PARAGRAPH)
    .trim();
}

/** One account's draft with the owner's body in place of the drafted one, in Slack and email alike. */
export function withEditedBody(draft: AccountDraft, editedBody: string): AccountDraft {
  const body = normalise(editedBody);
  const { greeting } = splitGreeting(draft.email.text);
  const [first = ''] = draft.slack.text.split(PARAGRAPH);
  const subjectLine = /^\*[^\n]+\*$/.test(first) ? first : '';
  const emailParts = [...(greeting ? [greeting] : []), ...body.split(PARAGRAPH)];
  const slackParts = [subjectLine, ...emailParts.map(slackEscape)].filter((part) => part !== '');
  const html = emailParts
    .map((p) => `<p style="margin:0 0 1em">${p.split('\n').map(htmlEscape).join('<br>')}</p>`)
    .join('\n');
  return {
    ...draft,
    slack: {
      text: slackParts.join(PARAGRAPH),
      blocks: mrkdwnSections(slackParts),
    },
    email: {
      subject: draft.email.subject,
      text: emailParts.join(PARAGRAPH),
      html: `<!doctype html>\n<html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5">\n${html}\n</body></html>`,
    },
  };
}
