import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, redirect, sendHtml, sendJson } from '../http.ts';
import type { Interactions } from '../interactions.ts';
import type { InteractionResult } from '../types.ts';
import type { Workspace } from '../workspace.ts';
import { actorOf, renderFragment, renderPage, type PageOptions, type PageView } from './html.ts';
import { stateValues, typedFields, type ModalState } from './modal.ts';

/**
 * The page's routes on the Slack stand-in: GET / (the page), GET /ui/content (what it redraws), GET /events
 * (a `changed` event whenever the workspace changed), and the person's presses, modal submissions and
 * closes, sent to the app exactly as Slack sends them (local/slack/interactions.ts).
 */
export interface PageRoutes {
  /** Handles the request if it is the page's; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Tells every open page that something changed (they redraw at most every 100 ms). */
  changed(): void;
}

const TICK_MS = 100;

/** The stand-in's App Home side (local/slack/home.ts): opening the tab, and pressing on what it shows. */
export interface HomeActions {
  open(userId: string): Promise<InteractionResult>;
  press(options: { userId: string; actionId: string; selectedOption?: string }): Promise<InteractionResult>;
  /** A customer writes in a shared channel, or in the thread of one of the app's posts there. */
  customerReplies(options: { channel: string; threadTs?: string }): Promise<InteractionResult>;
}

export function pageRoutes(
  ws: Workspace,
  interactions: Interactions,
  options: PageOptions = {},
  home?: HomeActions,
): PageRoutes {
  const page: PageView = { ws, options, modals: new Map<string, ModalState>(), home: Boolean(home) };
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;

  function changed(): void {
    if (pending || streams.size === 0) return;
    pending = setTimeout(() => {
      pending = undefined;
      for (const res of streams) res.write('data: changed\n\n');
    }, TICK_MS);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    streams.add(res);
    req.once('close', () => streams.delete(res));
  }

  /** A JSON answer for the page's script, or back to the page for a browser without it. */
  function answer(
    req: IncomingMessage,
    res: ServerResponse,
    userId: string,
    ok: boolean,
    said: string,
  ): void {
    changed();
    if ((req.headers.accept ?? '').includes('application/json'))
      return sendJson(res, ok ? 200 : 400, { ok, said });
    redirect(res, `/?as=${encodeURIComponent(userId)}&said=${encodeURIComponent(said)}`);
  }

  /** What the app answered a press or an event: `done` when it took it, else its status and body. */
  function appAnswered(
    req: IncomingMessage,
    res: ServerResponse,
    userId: string,
    result: InteractionResult,
    done: string,
  ): void {
    const ok = result.status === 200;
    answer(
      req,
      res,
      userId,
      ok,
      ok ? done : `The app answered HTTP ${result.status}: ${result.body.slice(0, 200)}`,
    );
  }

  async function press(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const userId = form.get('userId') ?? '';
    const selected = form.get('selected');
    try {
      const chosen = selected !== null ? { selectedOption: selected } : {};
      const actionId = form.get('actionId') ?? '';
      const result =
        home && form.get('home') === '1'
          ? await home.press({ userId, actionId, ...chosen })
          : await interactions.press({
              channel: form.get('channel') ?? '',
              ts: form.get('ts') ?? '',
              actionId,
              userId,
              ...chosen,
            });
      appAnswered(req, res, userId, result, 'Pressed; the app answered.');
    } catch (error) {
      answer(req, res, userId, false, `Not pressed: ${(error as Error).message}`);
    }
  }

  async function submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const userId = form.get('userId') ?? '';
    const stored = ws.views.get(form.get('viewId') ?? '');
    if (!stored || stored.closed) return answer(req, res, userId, false, 'That modal is no longer open.');
    try {
      const result = await interactions.submitView({
        viewId: stored.id,
        userId,
        values: stateValues(stored.view, form),
      });
      const reply = parseReply(result.body);
      if (result.status !== 200)
        return answer(
          req,
          res,
          userId,
          false,
          `The app answered HTTP ${result.status}: ${result.body.slice(0, 200)}`,
        );
      if (reply.response_action === 'errors') {
        const before = page.modals.get(stored.id);
        page.modals.set(stored.id, {
          errors: errorsOf(reply.errors),
          typed: typedFields(form),
          hash: stored.hash,
          version: (before?.version ?? 0) + 1,
        });
        return answer(
          req,
          res,
          userId,
          false,
          'The app kept the modal open: see the notes under the fields.',
        );
      }
      page.modals.delete(stored.id);
      // `clear` closes the whole stack; Slack's other answers (update, push, close) interactions.ts applies.
      if (reply.response_action === 'clear')
        for (const v of ws.views.values())
          if (v.userId === userId && v.view.type === 'modal') v.closed = true;
      answer(req, res, userId, true, 'Submitted; the app answered.');
    } catch (error) {
      answer(req, res, userId, false, `Not submitted: ${(error as Error).message}`);
    }
  }

  async function openHome(req: IncomingMessage, res: ServerResponse, side: HomeActions): Promise<void> {
    const userId = new URLSearchParams(await readBody(req)).get('userId') ?? '';
    try {
      const result = await side.open(userId);
      appAnswered(req, res, userId, result, 'Opened the Home tab; the app answered.');
    } catch (error) {
      answer(req, res, userId, false, `Home not opened: ${(error as Error).message}`);
    }
  }

  async function customerReply(req: IncomingMessage, res: ServerResponse, side: HomeActions): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const userId = form.get('userId') ?? '';
    const threadTs = form.get('threadTs');
    try {
      const result = await side.customerReplies({
        channel: form.get('channel') ?? '',
        ...(threadTs ? { threadTs } : {}),
      });
      appAnswered(req, res, userId, result, 'The customer wrote; the app answered.');
    } catch (error) {
      answer(req, res, userId, false, `Nothing written: ${(error as Error).message}`);
    }
  }

  async function close(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const userId = form.get('userId') ?? '';
    const stored = ws.views.get(form.get('viewId') ?? '');
    if (stored && stored.userId === userId) stored.closed = true;
    answer(req, res, userId, true, 'Closed the modal.');
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') {
      sendHtml(
        res,
        200,
        renderPage(page, actorOf(ws, url.searchParams.get('as')), url.searchParams.get('said') ?? undefined),
      );
    } else if (req.method === 'GET' && path === '/ui/content') {
      sendHtml(res, 200, renderFragment(page, actorOf(ws, url.searchParams.get('as'))));
    } else if (req.method === 'GET' && path === '/events') {
      events(req, res);
    } else if (req.method === 'POST' && path === '/ui/press') {
      await press(req, res);
    } else if (req.method === 'POST' && path === '/ui/submit') {
      await submit(req, res);
    } else if (req.method === 'POST' && path === '/ui/close') {
      await close(req, res);
    } else if (req.method === 'POST' && path === '/ui/home/open' && home) {
      await openHome(req, res, home);
    } else if (req.method === 'POST' && path === '/ui/customer-reply' && home) {
      await customerReply(req, res, home);
    } else {
      return false;
    }
    return true;
  }

  return { handle, changed };
}

function parseReply(body: string): { response_action?: unknown; errors?: unknown } {
  try {
    const parsed: unknown = body.trim() ? JSON.parse(body) : {};
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function errorsOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
