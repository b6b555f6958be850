import { createHmac, randomInt } from 'node:crypto';
import type { AnyBlock } from '@slack/types';
import { SlackApiError } from './errors.ts';
import { checkMessageBlocks, checkView } from './limits.ts';
import type { CommandResult, InteractionResult } from './types.ts';
import type { MessageRecord, Workspace } from './workspace.ts';
import { randomId, withIds } from './workspace.ts';
import { httpFetch } from '../../lambdas/adapters/http-fetch.ts';

export interface InteractionDeps {
  ws: Workspace;
  url: string;
  signingSecret: string;
  interactionsUrl: () => string;
  commandsUrl?: () => string;
}

interface ResponseTarget {
  channel: string;
  /** The message a button was on; empty for a slash command's response_url. */
  messageTs: string;
  userId: string;
  uses: number;
  expiresAt: number;
  /** Every body the app posted here, as it was posted. */
  replies: Record<string, unknown>[];
}

/** Slack lets an app use a response_url five times within thirty minutes. */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
/** A hung app must not hang a test or the page forever; Slack itself gives up after 3 s. */
const DELIVERY_TIMEOUT_MS = 30_000;
/** The legacy verification token Slack still puts in payloads; apps must verify the signature instead. */
const VERIFICATION_TOKEN = 'local-verification-token';

export function slackSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * A body, v0-signed now, POSTed to one of the app's request URLs as Slack sends it. Through the product's
 * fetch over node:http: a process's first built-in fetch loads undici (about 20 ms here), a cost of the
 * stand-in's that would land on whatever the app does first.
 */
export async function postSigned(
  target: string,
  secret: string,
  rawBody: string,
  headers: Record<string, string>,
): Promise<InteractionResult> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await httpFetch(target, {
    method: 'POST',
    headers: {
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(secret, timestamp, rawBody),
      ...headers,
    },
    body: rawBody,
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  return { status: response.status, body: await response.text() };
}

/** What Slack does around the app: sends it interaction payloads and takes its response_url replies. */
export class Interactions {
  private readonly responseUrls = new Map<string, ResponseTarget>();

  constructor(private readonly deps: InteractionDeps) {}

  async press(options: {
    channel: string;
    ts: string;
    actionId: string;
    userId: string;
    /** For a static_select: the value of the option chosen. */
    selectedOption?: string;
  }): Promise<InteractionResult> {
    const { ws } = this.deps;
    const conversation = ws.resolveChannel(options.channel);
    if (!conversation) throw new Error(`press: no conversation ${options.channel}`);
    const message = ws.find(conversation.id, options.ts);
    if (!message || message.deleted) throw new Error(`press: no message ${options.ts} in ${conversation.id}`);
    const user = this.user(options.userId);
    if (message.ephemeralTo && message.ephemeralTo !== user.id) {
      throw new Error(`press: message ${message.ts} is ephemeral to ${message.ephemeralTo}, not ${user.id}`);
    }
    // Slack shows a DM only to its members: nobody else can see its buttons, let alone press them.
    if (conversation.kind === 'im' && conversation.user !== user.id) {
      throw new Error(
        `press: ${conversation.id} is the DM with ${conversation.user}; ${user.id} cannot see it`,
      );
    }
    if (conversation.kind === 'mpim' && !conversation.members?.includes(user.id)) {
      throw new Error(
        `press: ${conversation.id} is a group DM of ${conversation.members?.join(', ') ?? 'nobody'}; ${user.id} is not in it and cannot see it`,
      );
    }
    const { block, element } = findAction(message.blocks, `message ${message.ts}`, options.actionId);
    const chosen = chosenAction(element, options.selectedOption);
    const responseToken = this.mintResponseUrl(conversation.id, message.ts, user.id);
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      ...this.envelope(user.id),
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: conversation.id,
        is_ephemeral: Boolean(message.ephemeralTo),
        ...(message.threadTs && message.threadTs !== message.ts ? { thread_ts: message.threadTs } : {}),
      },
      channel: {
        id: conversation.id,
        name: conversation.kind === 'im' ? 'directmessage' : conversation.name,
      },
      // Slack leaves the message out of payloads from ephemeral messages.
      ...(message.ephemeralTo ? {} : { message: ws.present(message) }),
      state: { values: {} },
      response_url: `${this.deps.url}/actions/${ws.identity.teamId}/${responseToken}`,
      actions: [
        { action_id: element.action_id, block_id: block.block_id, ...chosen, action_ts: ws.nextTs() },
      ],
    };
    return this.deliver(payload);
  }

  async submitView(options: {
    viewId: string;
    userId: string;
    values: Record<string, Record<string, unknown>>;
  }): Promise<InteractionResult> {
    const { ws } = this.deps;
    const stored = ws.views.get(options.viewId);
    if (!stored || stored.closed) throw new Error(`submitView: no open view ${options.viewId}`);
    const user = this.user(options.userId);
    if (stored.userId && stored.userId !== user.id) {
      throw new Error(`submitView: view ${stored.id} was opened for ${stored.userId}, not ${user.id}`);
    }
    const { teamId, appId, botId } = ws.identity;
    const payload = {
      type: 'view_submission',
      ...this.envelope(user.id),
      view: {
        ...stored.view,
        id: stored.id,
        team_id: teamId,
        state: { values: options.values },
        hash: stored.hash,
        root_view_id: stored.id,
        app_id: appId,
        bot_id: botId,
      },
      response_urls: [],
    };
    const result = await this.deliver(payload);
    // Slack closes the modal on an empty 200; `response_action` can keep it open or change it.
    const action = parseResponseAction(result.body);
    if (result.status === 200) {
      // The view the app answers with is held to the limits views.update has (local/slack/limits.ts):
      // Slack would show the person an error and change nothing; the driver gets the refusal.
      if (action?.response_action === 'update')
        ws.replaceView(stored, { ...checkView(action.view, 'modal') });
      else if (action?.response_action === 'push')
        ws.storeView({ ...checkView(action.view, 'modal') }, user.id);
      else if (action?.response_action !== 'errors') stored.closed = true;
    }
    return result;
  }

  /**
   * `/comms …` typed in `channel`: the form Slack posts to the app's slash-command URL, signed, with a
   * response_url (five uses in thirty minutes, like Slack's) whose replies the result lists.
   */
  async command(options: {
    userId: string;
    channel: string;
    text: string;
    command?: string;
  }): Promise<CommandResult> {
    const { ws } = this.deps;
    const commandsUrl = this.deps.commandsUrl;
    if (!commandsUrl) throw new Error('command: the stand-in was started without commandsUrl');
    // Anyone in the workspace may type a command, including people the stand-in was not told about.
    const user = ws.users.get(options.userId) ?? { id: options.userId, name: options.userId };
    const triggerId = `${randomInt(1e9, 1e10 - 1)}.${randomInt(1e8, 1e9 - 1)}.${randomId(16)}`;
    ws.triggers.set(triggerId, user.id);
    const { teamId, teamDomain, appId } = ws.identity;
    const conversation = ws.resolveChannel(options.channel);
    const token = this.mintResponseUrl(conversation?.id ?? options.channel, '', user.id);
    const responseUrl = `${this.deps.url}/commands/${teamId}/${token}`;
    const rawBody = new URLSearchParams({
      token: VERIFICATION_TOKEN,
      team_id: teamId,
      team_domain: teamDomain,
      channel_id: conversation?.id ?? options.channel,
      channel_name: conversation?.kind === 'channel' ? conversation.name : 'privategroup',
      user_id: user.id,
      user_name: user.name,
      command: options.command ?? '/comms',
      text: options.text,
      api_app_id: appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    }).toString();
    const answer = await this.deliverForm(commandsUrl(), rawBody);
    const target = this.responseUrls.get(token);
    return { ...answer, responseUrl, replies: () => structuredClone(target?.replies ?? []) };
  }

  /** POST to a response_url: replace or delete the original, or add an ephemeral / in-channel reply. */
  respond(token: string, body: Record<string, unknown>): { status: number; body: Record<string, unknown> } {
    const { ws } = this.deps;
    const target = this.responseUrls.get(token);
    if (!target || Date.now() > target.expiresAt)
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (target.uses >= RESPONSE_URL_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    target.replies.push(structuredClone(body));
    const original = ws.find(target.channel, target.messageTs);
    if (body.delete_original === true || body.delete_original === 'true') {
      target.uses += 1;
      if (original) original.deleted = true;
      return { status: 200, body: { ok: true } };
    }
    const text = typeof body.text === 'string' ? body.text : undefined;
    let blocks: AnyBlock[] | undefined;
    try {
      const checked = checkMessageBlocks(body.blocks);
      blocks = checked ? withIds(checked) : undefined;
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      return { status: 400, body: { ok: false, error: error.error, ...error.details() } };
    }
    if (!text && !blocks) return { status: 400, body: { ok: false, error: 'no_text' } };
    target.uses += 1;
    if (body.replace_original === true || body.replace_original === 'true') {
      if (!original || original.deleted)
        return { status: 404, body: { ok: false, error: 'message_not_found' } };
      // The reply replaces the whole content: what it leaves out is gone.
      if (text !== undefined) original.text = text;
      else delete original.text;
      if (blocks) original.blocks = blocks;
      else delete original.blocks;
      original.edits += 1;
      original.editedTs = ws.nextTs();
      return { status: 200, body: { ok: true } };
    }
    const record: MessageRecord = {
      channel: target.channel,
      ts: ws.nextTs(),
      ...(text !== undefined ? { text } : {}),
      ...(blocks ? { blocks } : {}),
      ...(typeof body.thread_ts === 'string' ? { threadTs: body.thread_ts } : {}),
      ...(body.response_type === 'in_channel' ? {} : { ephemeralTo: target.userId }),
      postedAt: new Date(),
      edits: 0,
    };
    ws.store(record);
    return { status: 200, body: { ok: true } };
  }

  private user(userId: string): { id: string; name: string } {
    const user = this.deps.ws.users.get(userId);
    if (!user) throw new Error(`no user ${userId} in the stand-in workspace`);
    return user;
  }

  /** The fields every interaction payload shares (local/slack/home.ts builds Home presses with them too). */
  envelope(userId: string): Record<string, unknown> {
    const { ws } = this.deps;
    const { teamId, teamDomain, appId } = ws.identity;
    const user = this.user(userId);
    const triggerId = `${randomInt(1e9, 1e10 - 1)}.${randomInt(1e8, 1e9 - 1)}.${randomId(16)}`;
    ws.triggers.set(triggerId, user.id);
    return {
      user: { id: user.id, username: user.name, name: user.name, team_id: teamId },
      api_app_id: appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      team: { id: teamId, domain: teamDomain },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private mintResponseUrl(channel: string, messageTs: string, userId: string): string {
    const token = `${randomInt(1e9, 1e10 - 1)}/${randomId(12)}`;
    this.responseUrls.set(token, {
      channel,
      messageTs,
      userId,
      uses: 0,
      expiresAt: Date.now() + RESPONSE_URL_TTL_MS,
      replies: [],
    });
    return token;
  }

  /** Form-encoded `payload=<json>`, v0-signed, the way Slack sends interactions. */
  deliver(payload: unknown): Promise<InteractionResult> {
    const rawBody = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.deliverForm(this.deps.interactionsUrl(), rawBody);
  }

  /** A form body, v0-signed now, to one of the app's request URLs. */
  async deliverForm(target: string, rawBody: string): Promise<InteractionResult> {
    try {
      return await postSigned(target, this.deps.signingSecret, rawBody, {
        'content-type': 'application/x-www-form-urlencoded',
      });
    } catch (error) {
      throw new Error(`delivering the interaction to ${target} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

interface Found {
  block: Record<string, unknown>;
  element: Record<string, unknown>;
}

/** The button or select `actionId` among `blocks` (of a message, or of a Home view). */
export function findAction(blocks: readonly unknown[] | undefined, where: string, actionId: string): Found {
  const seen: string[] = [];
  for (const block of blocks ?? []) {
    if (!isObject(block)) continue;
    const raw: Record<string, unknown> = { ...block };
    const elements: readonly unknown[] = Array.isArray(raw.elements) ? raw.elements : [];
    for (const element of [...elements, raw.accessory]) {
      if (!isObject(element) || typeof element.action_id !== 'string') continue;
      seen.push(element.action_id);
      if (element.action_id !== actionId) continue;
      if (element.type !== 'button' && element.type !== 'static_select')
        throw new Error(`press: ${actionId} is a ${String(element.type)}, not a button or a select`);
      return { block: raw, element };
    }
  }
  throw new Error(`press: ${where} has no action ${actionId} (it has: ${seen.join(', ') || 'none'})`);
}

/** What Slack's payload says was used: a button's text and value, or the option chosen in a select. */
export function chosenAction(
  element: Record<string, unknown>,
  selected: string | undefined,
): Record<string, unknown> {
  if (element.type === 'button') {
    if (selected !== undefined)
      throw new Error(`press: ${String(element.action_id)} is a button, not a select`);
    return {
      text: element.text,
      ...(element.value !== undefined ? { value: element.value } : {}),
      ...(element.style !== undefined ? { style: element.style } : {}),
      type: 'button',
    };
  }
  const options: readonly unknown[] = Array.isArray(element.options) ? element.options : [];
  const option = options.find((o) => isObject(o) && o.value === selected);
  if (!option) throw new Error(`press: ${String(element.action_id)} has no option ${String(selected)}`);
  return {
    type: 'static_select',
    selected_option: option,
    ...(element.placeholder !== undefined ? { placeholder: element.placeholder } : {}),
  };
}

function parseResponseAction(body: string): { response_action?: unknown; view?: unknown } | undefined {
  if (body.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
