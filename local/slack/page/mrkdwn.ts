/**
 * Slack's mrkdwn as HTML, the way Slack's clients show it: `*bold*`, `_italic_`, `~strike~`, `` `code` ``,
 * ```` ``` ```` blocks, `>` quotes, "• " and "- " lists, `<url|label>` links, `<@U…>` mentions and `<#C…>`
 * channels. Everything that came from an API caller is escaped; only the tags built here are HTML.
 */
export interface Names {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}

export function esc(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Plain text as Slack shows a `plain_text` object: escaped, line breaks kept. */
export function plain(text: string): string {
  return esc(text).replace(/\n/g, '<br>');
}

const QUOTE = /^(?:>|&gt;) ?/;
const BULLET = /^\s*(?:•|-|◦)\s+/;

export function mrkdwn(names: Names, text: string): string {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trimStart().startsWith('```')) {
      const code: string[] = [line.trimStart().slice(3)];
      while (i + 1 < lines.length && !code.join('\n').includes('```')) code.push(lines[++i] ?? '');
      out.push(`<pre>${esc(undoSlackEscapes(code.join('\n').replace(/```\s*$/, '')))}</pre>`);
    } else if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? ''))
        quoted.push((lines[i++] ?? '').replace(QUOTE, ''));
      i--;
      out.push(`<blockquote>${quoted.map((q) => inline(names, q)).join('<br>')}</blockquote>`);
    } else if (BULLET.test(line)) {
      const items: string[] = [];
      while (i < lines.length && BULLET.test(lines[i] ?? ''))
        items.push((lines[i++] ?? '').replace(BULLET, ''));
      i--;
      out.push(`<ul>${items.map((item) => `<li>${inline(names, item)}</li>`).join('')}</ul>`);
    } else {
      out.push(`<span class="line">${inline(names, line)}</span>`);
    }
  }
  return out.join('');
}

/** One line: the `<…>` specials first (they may hold `*` or `_`), then the formatting around them. */
function inline(names: Names, text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/<([^<>\n]+)>/g)) {
    out += formatting(text.slice(last, match.index));
    out += special(names, match[1] ?? '');
    last = match.index + match[0].length;
  }
  return out + formatting(text.slice(last));
}

function special(names: Names, inner: string): string {
  const [target = '', label] = inner.split('|', 2);
  if (target.startsWith('@'))
    return `<span class="mention">@${esc(label ?? names.user(target.slice(1)) ?? target.slice(1))}</span>`;
  if (target.startsWith('#'))
    return `<span class="mention">#${esc(label ?? names.channel(target.slice(1)) ?? target.slice(1))}</span>`;
  if (target.startsWith('!'))
    return `<span class="mention">@${esc(label ?? target.slice(1).split('^')[0] ?? '')}</span>`;
  if (/^(https?:|mailto:)/i.test(target))
    return `<a href="${esc(undoSlackEscapes(target))}" target="_blank" rel="noreferrer">${esc(undoSlackEscapes(label ?? target))}</a>`;
  return esc(`<${inner}>`);
}

/** Slack's own escapes (&amp; &lt; &gt;) are undone first so they are not escaped twice. */
function undoSlackEscapes(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function formatting(text: string): string {
  const parts = undoSlackEscapes(text).split(/(`[^`\n]+`)/);
  return parts
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? `<code>${esc(part.slice(1, -1))}</code>`
        : esc(part)
            .replace(
              /(^|[^\p{L}\p{N}*])\*(?!\s)([^*\n]*?[^\s*])\*(?![\p{L}\p{N}*])/gu,
              '$1<strong>$2</strong>',
            )
            .replace(/(^|[^\p{L}\p{N}_])_(?!\s)([^_\n]*?[^\s_])_(?![\p{L}\p{N}_])/gu, '$1<em>$2</em>')
            .replace(/(^|[^\p{L}\p{N}~])~(?!\s)([^~\n]*?[^\s~])~(?![\p{L}\p{N}~])/gu, '$1<del>$2</del>'),
    )
    .join('');
}
