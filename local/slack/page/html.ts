import type { Workspace } from '../workspace.ts';
import { namesOf, renderContent, type Audience } from './content.ts';
import { openModalOf, renderModal, type ModalState } from './modal.ts';
import { esc } from './mrkdwn.ts';
import { SCRIPT } from './script.ts';
import { STYLE } from './style.ts';

/** Other local pages the header links to: the mail SES sent, the texts Twilio sent. */
export interface PageLink {
  label: string;
  url: string;
}

export interface PageOptions extends Audience {
  links?: () => readonly PageLink[];
  /** A few words on who a person is (their role), shown beside their name in "Act as". */
  describe?: (userId: string) => string | undefined;
}

export interface PageView {
  ws: Workspace;
  options: PageOptions;
  /** The page's memory of each modal's last submission (errors, what was typed). */
  modals: Map<string, ModalState>;
  /** The stand-in can deliver app_home_opened and presses on a Home. */
  home: boolean;
}

/** Who the page acts as: the person asked for, or the workspace's first person. */
export function actorOf(ws: Workspace, asked: string | null): string {
  if (asked && ws.users.has(asked)) return asked;
  return ws.users.keys().next().value ?? '';
}

/** The part the page replaces on every change: the person's conversations and their open modal. */
export function renderFragment(page: PageView, userId: string): string {
  const { ws } = page;
  const stored = openModalOf(ws, userId);
  const state = stored ? page.modals.get(stored.id) : undefined;
  // The script swaps the modal only when this changes, so a refresh never wipes what is being typed.
  const key = stored
    ? `${stored.id}:${stored.hash}:${state?.hash === stored.hash ? state.version : 0}`
    : 'none';
  const modal = stored ? renderModal(namesOf(ws), stored, userId, state) : '';
  return `<main id="content" data-user="${esc(userId)}">${renderContent(ws, page.options, userId, page.home)}</main><div id="modal" data-key="${esc(key)}">${modal}</div>`;
}

export function renderPage(page: PageView, userId: string, said: string | undefined): string {
  const { ws } = page;
  const users = [...ws.users.values()]
    .map(
      (u) =>
        `<option value="${esc(u.id)}"${u.id === userId ? ' selected' : ''}>${esc(u.realName)} (${esc(page.options.describe?.(u.id) ?? u.name)})</option>`,
    )
    .join('');
  const links = (page.options.links?.() ?? [])
    .map((l) => `<a href="${esc(l.url)}" target="_blank" rel="noreferrer">${esc(l.label)}</a>`)
    .join(' · ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slack · ${esc(ws.identity.teamDomain)}</title><style>${STYLE}</style></head>
<body><header><h1>Slack stand-in · ${esc(ws.identity.teamDomain)}</h1>
<form id="act-as-form" method="get" action="/"><label>Act as <select id="act-as" name="as">${users}</select></label><noscript> <button>Switch</button></noscript></form>
<nav>${links}</nav><div id="status" role="status">${said ? esc(said) : ''}</div></header>
${renderFragment(page, userId)}
<script>${SCRIPT}</script></body></html>`;
}
