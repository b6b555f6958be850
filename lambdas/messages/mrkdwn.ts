import { SECTION_TEXT_LIMIT } from '../domain/slack-sections.ts';

/**
 * Fitting our texts into Slack's sections (docs/architecture.md, "Facts that bite": 3,000 characters a
 * section): lists of names and quoted drafts have no length of their own, so they are cut to what fits.
 */

/** An escape (`&amp;`, `&lt;`, `&gt;`) is at most five characters: a cut never splits one. */
function safeCut(text: string, at: number): number {
  const amp = text.lastIndexOf('&', at - 1);
  return amp >= 0 && amp > at - 5 && !text.slice(amp, at).includes(';') ? amp : at;
}

/** `text` cut to at most `max` characters, ending in "…" when something was left out. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCut(text, Math.max(0, max - 1)))}…`;
}

/** `text` as a mrkdwn quote (">" before every line), at most `max` characters in all. */
export function quoted(text: string, max = SECTION_TEXT_LIMIT): string {
  return clip(`>${text.split('\n').join('\n>')}`, max);
}

/**
 * As many names as fit in `max` characters, in order, then "and N more": "Acme, Globex and 12 more".
 * Every name is listed when they all fit.
 */
export function someNames(names: readonly string[], max: number): string {
  const all = names.join(', ');
  if (all.length <= max) return all;
  const shown: string[] = [];
  for (const name of names) {
    const left = names.length - shown.length - 1;
    const candidate = [...shown, name].join(', ');
    if (candidate.length + ` and ${left} more`.length > max) break;
    shown.push(name);
  }
  const rest = names.length - shown.length;
  if (shown.length > 0) return `${shown.join(', ')} and ${rest} more`;
  return `${rest} account${rest === 1 ? '' : 's'}`;
}

/** Text that Slack shows as written (domain/slack-sections.ts): nothing in it reads as a link or a mention. */
export { slackEscape as escaped } from '../domain/slack-sections.ts';
