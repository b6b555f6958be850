import type { Conversation, MessageRecord, Workspace } from './workspace.ts';
import { readableText } from './workspace.ts';

/**
 * A plain server-rendered page: every conversation with its messages, and a form per button so a person can
 * press it as any user of the workspace. Everything that came from an API caller is escaped.
 */
export function renderPage(ws: Workspace, actAs: string | undefined, result: string | undefined): string {
  const users = [...ws.users.values()];
  const current = actAs && ws.users.has(actAs) ? actAs : users[0]?.id;
  const conversations = [...ws.conversations.values()].sort(
    (a, b) => kindOrder(a) - kindOrder(b) || a.name.localeCompare(b.name),
  );
  const userOptions = users
    .map(
      (u) =>
        `<option value="${esc(u.id)}"${u.id === current ? ' selected' : ''}>${esc(u.realName)} (${esc(u.id)})</option>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Slack stand-in</title><style>${STYLE}</style></head><body>
<header><h1>Slack stand-in · ${esc(ws.identity.teamDomain)}</h1>
<form method="get" action="/">Act as <select name="as">${userOptions}</select> <button>Switch</button> <a href="/?as=${encodeURIComponent(current ?? '')}">Refresh</a></form>
${result ? `<p class="result">Last press: ${esc(result)}</p>` : ''}</header>
${conversations.map((c) => renderConversation(ws, c, current)).join('\n')}
</body></html>`;
}

function kindOrder(c: Conversation): number {
  return c.kind === 'channel' ? 0 : c.kind === 'im' ? 1 : 2;
}

function renderConversation(ws: Workspace, c: Conversation, actAs: string | undefined): string {
  const all = ws.inChannel(c.id).filter((m) => !m.deleted);
  const title =
    c.kind === 'channel'
      ? `#${c.name}`
      : c.kind === 'im'
        ? `DM with ${ws.users.get(c.user ?? '')?.realName ?? c.user}`
        : c.name;
  const roots = all.filter((m) => !m.threadTs || m.threadTs === m.ts);
  const body = roots
    .map((root) => {
      const replies = all.filter((m) => m.threadTs === root.ts && m.ts !== root.ts);
      const thread = replies.map((r) => renderMessage(ws, r, actAs)).join('');
      return renderMessage(ws, root, actAs) + (thread ? `<div class="thread">${thread}</div>` : '');
    })
    .join('');
  return `<section id="${esc(c.id)}"><h2>${esc(title)} <small>${esc(c.id)}</small></h2>${body || '<p class="empty">No messages.</p>'}</section>`;
}

function renderMessage(ws: Workspace, m: MessageRecord, actAs: string | undefined): string {
  const notes = [
    m.username ? `as ${m.username}` : '',
    m.edits > 0 ? 'edited' : '',
    m.ephemeralTo ? `only visible to ${ws.users.get(m.ephemeralTo)?.realName ?? m.ephemeralTo}` : '',
  ].filter(Boolean);
  const text = m.text ? `<div class="text">${mrkdwn(ws, m.text)}</div>` : '';
  const blocks = (m.blocks ?? []).map((b) => renderBlock(ws, m, b, actAs)).join('');
  return `<article id="m${esc(m.ts.replace('.', ''))}"><div class="meta">${esc(m.postedAt.toISOString())} · ts ${esc(m.ts)}${notes.length ? ` · ${esc(notes.join(' · '))}` : ''}</div>${text}${blocks}</article>`;
}

function renderBlock(ws: Workspace, m: MessageRecord, block: unknown, actAs: string | undefined): string {
  if (typeof block !== 'object' || block === null) return '';
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'divider':
      return '<hr>';
    case 'header':
      return `<h3>${textObject(ws, b.text)}</h3>`;
    case 'section': {
      const fields = Array.isArray(b.fields)
        ? `<div class="fields">${b.fields.map((f) => `<div>${textObject(ws, f)}</div>`).join('')}</div>`
        : '';
      const accessory = b.accessory ? renderElement(ws, m, b.accessory, actAs) : '';
      return `<div class="section">${textObject(ws, b.text)}${fields}${accessory}</div>`;
    }
    case 'context':
      return `<div class="context">${(Array.isArray(b.elements) ? b.elements : []).map((e) => textObject(ws, e)).join(' ')}</div>`;
    case 'actions':
      return `<div class="actions">${(Array.isArray(b.elements) ? b.elements : []).map((e) => renderElement(ws, m, e, actAs)).join('')}</div>`;
    default:
      return `<div class="other">${esc(readableText({ blocks: [b] }))}</div>`;
  }
}

function renderElement(ws: Workspace, m: MessageRecord, element: unknown, actAs: string | undefined): string {
  if (typeof element !== 'object' || element === null) return '';
  const e = element as Record<string, unknown>;
  if (e.type !== 'button') return `<span class="control">[${esc(String(e.type))}]</span>`;
  const style = e.style === 'primary' || e.style === 'danger' ? ` class="${e.style}"` : '';
  return `<form method="post" action="/ui/press">
<input type="hidden" name="channel" value="${esc(m.channel)}"><input type="hidden" name="ts" value="${esc(m.ts)}">
<input type="hidden" name="actionId" value="${esc(String(e.action_id))}"><input type="hidden" name="userId" value="${esc(actAs ?? '')}">
<button${style}>${textObject(ws, e.text)}</button></form>`;
}

function textObject(ws: Workspace, value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const t = value as { type?: unknown; text?: unknown };
  if (typeof t.text !== 'string') return '';
  return t.type === 'mrkdwn' ? mrkdwn(ws, t.text) : esc(t.text);
}

/** Enough of Slack's mrkdwn to read a message: links, mentions, bold, italics, strike, code. */
export function mrkdwn(ws: Workspace, text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/<([^<>]+)>/g)) {
    out += inline(text.slice(last, match.index));
    out += special(ws, match[1] ?? '');
    last = match.index + match[0].length;
  }
  return out + inline(text.slice(last));
}

function special(ws: Workspace, inner: string): string {
  const [target = '', label] = inner.split('|', 2);
  if (target.startsWith('@')) return `<b>@${esc(ws.users.get(target.slice(1))?.name ?? target.slice(1))}</b>`;
  if (target.startsWith('#'))
    return `<b>#${esc(label ?? ws.conversations.get(target.slice(1))?.name ?? target.slice(1))}</b>`;
  if (target.startsWith('!')) return `<b>@${esc(target.slice(1))}</b>`;
  if (/^(https?:|mailto:)/i.test(target)) return `<a href="${esc(target)}">${esc(label ?? target)}</a>`;
  return esc(`<${inner}>`);
}

function inline(text: string): string {
  // Slack's own escapes (&amp; &lt; &gt;) are undone first so they are not escaped twice.
  const raw = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return esc(raw)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(])_([^_\n]+)_/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])~([^~\n]+)~/g, '$1<del>$2</del>');
}

export function esc(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:900px;padding:1em;color:#1d1c1d}
section{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.5em 1em}h2 small{color:#888;font-weight:normal}
article{border-top:1px solid #eee;padding:.5em 0}.meta{color:#777;font-size:12px}.text,.section{white-space:pre-wrap}
.thread{margin-left:2em;border-left:3px solid #ddd;padding-left:1em}.fields{display:grid;grid-template-columns:1fr 1fr;gap:.3em}
.context{color:#555;font-size:12px}.actions form,.section form{display:inline-block;margin:.3em .3em 0 0}
button.primary{background:#007a5a;color:#fff}button.danger{background:#e01e5a;color:#fff}.result{background:#fff8c4;padding:.4em}
.empty{color:#999}`;
