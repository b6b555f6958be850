import type { Conversation, MessageRecord, Workspace } from '../workspace.ts';
import { isObj, renderBlocks, type BlockPlace } from './blocks.ts';
import { esc, mrkdwn, type Names } from './mrkdwn.ts';

/**
 * What one person sees in the workspace: their DMs first (with the notes only they were shown), their App
 * Home, then the channels they are in that have messages; channels without messages last, folded.
 */
export interface Audience {
  /** Who is in a channel; undefined: everyone (a public channel). */
  channelMembers?: (channelId: string) => readonly string[] | undefined;
}

export function namesOf(ws: Workspace): Names {
  return {
    user: (id) => ws.users.get(id)?.realName,
    channel: (id) => ws.conversations.get(id)?.name,
  };
}

function visibleTo(userId: string, m: MessageRecord): boolean {
  return !m.deleted && (!m.ephemeralTo || m.ephemeralTo === userId);
}

function canSee(audience: Audience, userId: string, c: Conversation): boolean {
  if (c.kind === 'im') return c.user === userId;
  if (c.kind === 'mpim') return c.members?.includes(userId) ?? false;
  const members = audience.channelMembers?.(c.id);
  return !members || members.includes(userId);
}

/** `home`: the page can open the Home tab and press on it (the stand-in's App Home side is there). */
export function renderContent(ws: Workspace, audience: Audience, userId: string, home = false): string {
  const names = namesOf(ws);
  const all = [...ws.conversations.values()];
  const messagesOf = (c: Conversation) => ws.inChannel(c.id).filter((m) => visibleTo(userId, m));
  // A note shown to them (an ephemeral) counts as seeing where it was posted, whatever the membership.
  const seen = all.filter(
    (c) =>
      canSee(audience, userId, c) || ws.inChannel(c.id).some((m) => m.ephemeralTo === userId && !m.deleted),
  );
  const dms = seen
    .filter((c) => c.kind !== 'channel')
    .sort((a, b) => (a.kind === 'im' ? -1 : b.kind === 'im' ? 1 : 0));
  const channels = seen.filter((c) => c.kind === 'channel');
  // The channel posted to last comes first, as in Slack's sidebar sorted by activity.
  const latest = (c: Conversation) => Number(messagesOf(c).at(-1)?.ts ?? 0);
  const busy = channels.filter((c) => messagesOf(c).length > 0).sort((a, b) => latest(b) - latest(a));
  const quiet = channels
    .filter((c) => messagesOf(c).length === 0)
    .sort((a, b) => a.name.localeCompare(b.name));
  const dmHtml = dms.map((c) => conversation(ws, names, c, messagesOf(c), userId)).join('');
  const homeHtml = renderHome(ws, names, userId, home);
  const busyHtml = busy.map((c) => conversation(ws, names, c, messagesOf(c), userId, home)).join('');
  const quietHtml = quiet.length
    ? `<details class="quiet"><summary>${quiet.length} channel${quiet.length === 1 ? '' : 's'} without messages</summary><ul>${quiet
        .map((c) => `<li>#${esc(c.name)} <small>${esc(c.id)}</small></li>`)
        .join('')}</ul></details>`
    : '';
  const none = dms.length === 0 ? '<p class="empty">No direct messages yet.</p>' : '';
  return `<h2 class="group">Direct messages</h2>${none}${dmHtml}${homeHtml}<h2 class="group">Channels</h2>${busyHtml || '<p class="empty">No channel has messages yet.</p>'}${quietHtml}`;
}

/** The person's App Home, if the app published one (views.publish). */
function renderHome(ws: Workspace, names: Names, userId: string, pressable: boolean): string {
  const view: unknown = ws.homeViews.get(userId)?.view;
  const blocks = isObj(view) && Array.isArray(view.blocks) ? view.blocks : undefined;
  // Opening the tab is what makes the app publish (app_home_opened), so the button is there before a Home is.
  const open = pressable
    ? `<form class="press" method="post" action="/ui/home/open"><input type="hidden" name="userId" value="${esc(userId)}"><button class="btn">${blocks ? 'Open the Home tab again' : 'Open the Home tab'}</button></form>`
    : '';
  if (!blocks && !open) return '';
  const place: BlockPlace = pressable
    ? { names, press: { channel: '', ts: '', userId, home: true } }
    : { names };
  const body = blocks ? renderBlocks(place, blocks) : '<p class="empty">Nothing published yet.</p>';
  return `<section class="conversation home" id="home"><h3>App Home${open ? ` ${open}` : ''}</h3>${body}</section>`;
}

function title(ws: Workspace, c: Conversation): string {
  if (c.kind === 'channel') return `#${c.name}`;
  if (c.kind === 'im') return `${ws.identity.botName} (your DM with the app)`;
  return (c.members ?? []).map((m) => ws.users.get(m)?.realName ?? m).join(', ');
}

function conversation(
  ws: Workspace,
  names: Names,
  c: Conversation,
  messages: MessageRecord[],
  userId: string,
  customers = false,
): string {
  const roots = messages.filter((m) => !m.threadTs || m.threadTs === m.ts);
  // Where the app posted to customers (its posts carry message metadata), the page can make one answer.
  const shared = customers && c.kind === 'channel' && roots.some((m) => !m.user && m.metadata);
  const reply = (threadTs?: string) =>
    `<form class="press" method="post" action="/ui/customer-reply"><input type="hidden" name="userId" value="${esc(userId)}"><input type="hidden" name="channel" value="${esc(c.id)}">${threadTs ? `<input type="hidden" name="threadTs" value="${esc(threadTs)}">` : ''}<button class="btn">${threadTs ? 'A customer replies in the thread' : 'A customer writes in the channel'}</button></form>`;
  const body = roots
    .map((root) => {
      const replies = messages.filter((m) => m.threadTs === root.ts && m.ts !== root.ts);
      const thread = replies.map((r) => message(ws, names, r, userId)).join('');
      const answer = shared && !root.user && root.metadata ? reply(root.ts) : '';
      return (
        message(ws, names, root, userId) +
        (thread || answer ? `<div class="thread">${thread}${answer}</div>` : '')
      );
    })
    .join('');
  const h3 = `${esc(title(ws, c))} <small>${esc(c.id)}</small>${shared ? ` ${reply()}` : ''}`;
  return `<section class="conversation ${c.kind}" id="${esc(c.id)}" data-channel="${esc(c.id)}"><h3>${h3}</h3>${body || '<p class="empty">No messages.</p>'}</section>`;
}

function message(ws: Workspace, names: Names, m: MessageRecord, userId: string): string {
  const author = m.user ? (ws.users.get(m.user)?.realName ?? m.user) : (m.username ?? ws.identity.botName);
  const badges = [
    m.username && !m.user ? '<span class="badge">app, posting as this name</span>' : '',
    m.ephemeralTo ? '<span class="badge only-you">Only visible to you</span>' : '',
    m.edits > 0 ? '<span class="badge">edited</span>' : '',
  ].join('');
  const place: BlockPlace = { names, press: { channel: m.channel, ts: m.ts, userId } };
  // Slack shows the blocks when there are any; the text is then only the notification's fallback.
  const content = m.blocks?.length
    ? renderBlocks(place, m.blocks)
    : `<div class="text">${mrkdwn(names, m.text ?? '')}</div>`;
  const time = m.postedAt.toISOString().slice(11, 19);
  return `<article class="message${m.ephemeralTo ? ' ephemeral' : ''}" id="m${esc(m.ts.replace('.', ''))}" data-ts="${esc(m.ts)}"><div class="meta"><b>${esc(author)}</b> <time title="${esc(m.postedAt.toISOString())}">${time} UTC</time>${badges}</div>${content}</article>`;
}
