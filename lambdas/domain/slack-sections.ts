/**
 * The one Block Kit block the domain renders: a section of mrkdwn. It is structurally @slack/types'
 * `SectionBlock` (messages/ and adapters/ pass it on as one); the domain itself imports no package but
 * zod (docs/architecture.md, "The dependency rule").
 */
export interface MrkdwnSection {
  type: 'section';
  text: { type: 'mrkdwn'; text: string };
}

/** Slack refuses a section whose text is over 3,000 characters (docs/architecture.md, "Facts that bite"). */
export const SECTION_TEXT_LIMIT = 3000;

export const mrkdwnSection = (text: string): MrkdwnSection => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
});

/**
 * One section per paragraph (already mrkdwn-escaped); a paragraph over the limit is split, at a line break
 * or a space where there is one, never inside an escape like `&amp;`. Empty paragraphs give no section:
 * Slack refuses an empty text.
 */
export function mrkdwnSections(paragraphs: readonly string[], limit = SECTION_TEXT_LIMIT): MrkdwnSection[] {
  return paragraphs.flatMap((p) => split(p, limit)).map(mrkdwnSection);
}

function split(text: string, limit: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (cut < limit / 2) {
      cut = limit;
      const amp = window.lastIndexOf('&');
      // An escape is at most five characters (`&amp;`): do not cut one in two.
      if (amp > limit - 5 && !window.slice(amp).includes(';')) cut = amp;
    }
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

/** Text that Slack shows as written: mrkdwn reads `&`, `<` and `>` as control characters (links, mentions). */
export const slackEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
