import { esc } from '../slack/page/mrkdwn.ts';
import type { TwilioStoredMessage } from './messages.ts';

/**
 * The Twilio stand-in's page (GET /): the texts sent, per number, newest first, each with its delivery
 * status as the carrier last reported it. It refreshes itself every few seconds: statuses move on their
 * own (queued → sent → delivered) and a person watching should see them move.
 */
export function renderTwilioPage(messages: readonly TwilioStoredMessage[]): string {
  const byNumber = new Map<string, TwilioStoredMessage[]>();
  for (const m of [...messages].reverse()) byNumber.set(m.to, [...(byNumber.get(m.to) ?? []), m]);
  const sections = [...byNumber.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([to, list]) =>
        `<section><h2>${esc(to)} <small>${list.length} text${list.length === 1 ? '' : 's'}</small></h2>${list.map(text).join('')}</section>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Twilio stand-in · texts</title>
<meta http-equiv="refresh" content="3"><style>${STYLE}</style></head><body><h1>Twilio stand-in · texts sent</h1>
${sections || '<p class="empty">No text has been sent yet.</p>'}</body></html>`;
}

function text(m: TwilioStoredMessage): string {
  const error = m.errorCode === null ? '' : ` · error ${m.errorCode}`;
  return `<article><div class="meta"><span class="status ${esc(m.status)}">${esc(m.status)}${esc(error)}</span> ${esc(m.dateCreated.toISOString().slice(0, 19).replace('T', ' '))} UTC · from ${esc(m.from ?? m.messagingServiceSid ?? '?')} · ${m.numSegments} segment${m.numSegments === 1 ? '' : 's'} (${esc(m.encoding)}) · ${esc(m.sid)}</div><div class="body">${esc(m.body)}</div></article>`;
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:860px;margin:0 auto;padding:1em;color:#121c2d}
section{border:1px solid #ddd;border-radius:8px;margin:1em 0;padding:.3em 1em}h2 small{color:#888;font-weight:normal;font-size:13px}
article{border-top:1px solid #eee;padding:.5em 0}.meta{color:#666;font-size:12px}.body{white-space:pre-wrap}
.status{font-weight:bold;border-radius:4px;padding:0 .4em;background:#eee}.status.delivered{background:#d6f5e3;color:#0a6b3a}
.status.undelivered,.status.failed{background:#fde2e6;color:#a4102c}.empty{color:#888}`;
