import type { Severity } from '../contract/payloads.ts';
import { mrkdwnSection } from '../domain/slack-sections.ts';
import { clip, escaped, quoted } from './mrkdwn.ts';
import type { SlackMessage } from './slack-message.ts';

/**
 * A customer's reply forwarded to a person or the engagement channel: who wrote, about what, their words
 * quoted and a link to the message itself.
 */

/** Enough of a reply to act on it; the link opens the rest. */
export const QUOTE_MAX_CHARS = 600;
const QUOTE_MAX_LINES = 12;

/**
 * A message's text as Slack delivers it in an event (`&amp;` `&lt;` `&gt;` escaped, links and mentions
 * as `<…>`) turned back into what the customer wrote: links as "label (url)", mentions as plain "@name" so
 * a quote never pings anyone (`<!channel>` in a customer's message must not page our engagement channel).
 */
export function plainText(slackText: string): string {
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const shown = slackText.replace(/<([^<>]*)>/g, (_all, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) return label ? `@${label}` : target;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    // <!here>, <!channel>, <!subteam^S…|@team>, <!date^…|fallback>: their words, never a notification.
    if (target.startsWith('!')) return label ?? `@${target.slice(1)}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return unescape(shown);
}

/** The customer's words as a mrkdwn quote: escaped, at most a dozen lines and a few hundred characters. */
export function replyQuote(text: string): string {
  const lines = text.trim().split('\n');
  const kept = lines.slice(0, QUOTE_MAX_LINES).join('\n');
  const body = lines.length > QUOTE_MAX_LINES ? `${kept}\n…` : kept;
  return quoted(escaped(body.length > 0 ? body : '(no text: a file or an attachment)'), QUOTE_MAX_CHARS);
}

export interface ReplyNotice {
  accountName: string;
  /** The customer's Slack user id: shown as a mention, which Slack renders as their name. */
  userId: string;
  /** Plain text (plainText of the event's text). */
  text: string;
  /** What they answered. */
  about:
    | { kind: 'incident'; incidentId: string; severity: Severity; title: string; round?: number }
    | { kind: 'broadcast'; broadcastId: string };
  /** The update went out under the person's name (their DM) or the company's (the engagement channel). */
  audience: 'sender' | 'engagement';
  /**
   * Sent to someone else in place of a forward Slack refused for good: to whom it was meant (a name, or
   * the engagement channel) and Slack's reason.
   */
  insteadOf?: { target: string; reason: string };
  permalink?: string;
}

export function replyMessage(notice: ReplyNotice): SlackMessage {
  const account = escaped(notice.accountName);
  const what =
    notice.about.kind === 'incident'
      ? `*${notice.about.severity} · ${escaped(clip(notice.about.title, 150))}* (${notice.about.incidentId}${
          notice.about.round === undefined ? '' : `, update ${notice.about.round}`
        })`
      : `the company broadcast ${notice.about.broadcastId}`;
  const instead = notice.insteadOf;
  const whose =
    notice.audience === 'engagement'
      ? "the company's update"
      : instead
        ? `${instead.target}'s update`
        : 'your update';
  const head = `*${account}* replied to ${escaped(whose)} on ${what}: <@${notice.userId}> wrote`;
  const link = notice.permalink
    ? `<${notice.permalink}|Open the reply in Slack>`
    : 'Open their channel to answer.';
  const quote = replyQuote(notice.text);
  const why = instead
    ? [
        mrkdwnSection(
          `_This reply came to you because Slack would not take it for ${escaped(instead.target)} (${escaped(instead.reason)}). Answer the customer, or tell whoever covers them._`,
        ),
      ]
    : [];
  return {
    text: `${notice.accountName} replied to ${whose}`,
    blocks: [mrkdwnSection(`${head}\n${quote}`), ...why, mrkdwnSection(link)],
  };
}
