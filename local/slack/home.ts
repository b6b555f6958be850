import { randomInt } from 'node:crypto';
import { ifDefined } from '../../lambdas/domain/optional.ts';
import type { InteractionResult, StoredMessage } from './types.ts';
import type { Interactions } from './interactions.ts';
import { chosenAction, findAction, postSigned } from './interactions.ts';
import type { Workspace } from './workspace.ts';
import { randomId, snapshot } from './workspace.ts';

export interface HomeDeps {
  ws: Workspace;
  signingSecret: string;
  /** The app's Events API request URL (/slack/events). */
  eventsUrl?: () => string;
  interactions: Interactions;
}

/** What the app answered an event, and the event's id (the same on a redelivery). */
export interface EventResult extends InteractionResult {
  eventId: string;
}

/** The guest who writes when the page makes a customer reply: one contact for every shared channel. */
const CUSTOMER = { id: 'U0CUSTOMER', name: 'customer', realName: 'A customer (guest)', tz: 'UTC' };
const CUSTOMER_TEXT = {
  thread: 'Thanks for the update. Is there an ETA for the fix?',
  channel: 'Hi, we are seeing errors on our side too. Is this related to the incident?',
};

/** A person writes in a conversation; `threadTs` puts it in that message's thread. */
export function postAs(
  ws: Workspace,
  o: { userId: string; channel: string; text: string; threadTs?: string },
): StoredMessage {
  const conversation = ws.resolveChannel(o.channel);
  if (!conversation) throw new Error(`postAs: no conversation ${o.channel}`);
  if (!ws.users.has(o.userId)) throw new Error(`postAs: no user ${o.userId}`);
  if (o.threadTs && !ws.find(conversation.id, o.threadTs))
    throw new Error(`postAs: no message ${o.threadTs} in ${o.channel} to reply to`);
  const record = {
    channel: conversation.id,
    ts: ws.nextTs(),
    ...ifDefined('threadTs', o.threadTs),
    text: o.text,
    user: o.userId,
    postedAt: new Date(),
    edits: 0,
  };
  ws.store(record);
  return snapshot(record);
}

/**
 * The App Home side of Slack: the Events API deliveries Slack makes to the app (`app_home_opened` when a
 * person opens the Home tab; any event a test names), JSON and v0-signed, redelivered with
 * `X-Slack-Retry-Num` when asked; and presses on a published Home, whose payload names the view as its
 * container and carries no channel, message or response_url, as Slack's does.
 */
export class HomeSide {
  constructor(private readonly deps: HomeDeps) {}

  /** The Home the app last published for `userId`. */
  view(userId: string): Record<string, unknown> | undefined {
    const stored = this.deps.ws.homeViews.get(userId);
    return stored ? structuredClone(stored.view) : undefined;
  }

  /** `userId` opens the app's Home tab: Slack sends app_home_opened (with the view, once there is one). */
  open(userId: string): Promise<EventResult> {
    const { ws } = this.deps;
    if (!ws.users.has(userId)) throw new Error(`openHome: no user ${userId} in the stand-in workspace`);
    const stored = ws.homeViews.get(userId);
    return this.sendEvent({
      event: {
        type: 'app_home_opened',
        user: userId,
        channel: ws.openIm(userId).id,
        tab: 'home',
        event_ts: ws.nextTs(),
        ...(stored ? { view: { ...stored.view, id: stored.id, hash: stored.hash } } : {}),
      },
    });
  }

  /** `userId` writes in a channel (in a thread with `threadTs`), and Slack tells the app: a `message` event. */
  async say(o: {
    userId: string;
    channel: string;
    text: string;
    threadTs?: string;
  }): Promise<{ message: StoredMessage; delivery: EventResult }> {
    const message = postAs(this.deps.ws, o);
    return { message, delivery: await this.messageEvent(message, o.userId) };
  }

  /**
   * The page's "a customer replies": a guest of the shared channel writes a canned question there, or in
   * the thread of one of the app's posts, so `npm start` shows a reply reaching its sender.
   */
  customerReplies(o: { channel: string; threadTs?: string }): Promise<EventResult> {
    const { ws } = this.deps;
    if (!ws.users.has(CUSTOMER.id)) ws.addUser(CUSTOMER);
    const text = o.threadTs ? CUSTOMER_TEXT.thread : CUSTOMER_TEXT.channel;
    return this.say({ ...o, userId: CUSTOMER.id, text }).then((r) => r.delivery);
  }

  /**
   * Slack's `message` event for a person's message stored in a channel: `channel_type` says whether the
   * app hears it through message.channels (C…) or message.groups (G…, a private channel).
   */
  messageEvent(message: StoredMessage, userId: string): Promise<EventResult> {
    return this.sendEvent({
      event: {
        type: 'message',
        channel: message.channel,
        channel_type: message.channel.startsWith('G') ? 'group' : 'channel',
        user: userId,
        text: message.text ?? '',
        ts: message.ts,
        event_ts: message.ts,
        team: this.deps.ws.identity.teamId,
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      },
    });
  }

  /**
   * An event_callback envelope around `event`, signed now and posted to the events URL. The same `eventId`
   * with a `retryNum` is Slack's redelivery of an event it thinks the app missed.
   */
  async sendEvent(options: {
    event: Record<string, unknown>;
    eventId?: string;
    retryNum?: number;
  }): Promise<EventResult> {
    const { ws } = this.deps;
    const { teamId, appId, botUserId } = ws.identity;
    const eventId = options.eventId ?? `Ev${randomInt(1e9, 1e10 - 1)}${randomId(3).toUpperCase()}`;
    const body = JSON.stringify({
      token: 'local-verification-token',
      team_id: teamId,
      api_app_id: appId,
      event: options.event,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    const headers: Record<string, string> =
      options.retryNum === undefined
        ? {}
        : { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' };
    return { ...(await this.post(body, headers)), eventId };
  }

  /** The URL check Slack makes when the request URL is saved: the app must answer the challenge. */
  async verifyUrl(challenge: string): Promise<InteractionResult> {
    return this.post(
      JSON.stringify({ token: 'local-verification-token', challenge, type: 'url_verification' }),
    );
  }

  /** `userId` presses a button (or picks an option) on their Home. */
  press(options: { userId: string; actionId: string; selectedOption?: string }): Promise<InteractionResult> {
    const { ws, interactions } = this.deps;
    const stored = ws.homeViews.get(options.userId);
    if (!stored) throw new Error(`pressHome: nothing is published on ${options.userId}'s Home`);
    const blocks: readonly unknown[] = Array.isArray(stored.view.blocks) ? stored.view.blocks : [];
    const { block, element } = findAction(blocks, `the Home of ${options.userId}`, options.actionId);
    const { teamId, appId, botId } = ws.identity;
    return interactions.deliver({
      type: 'block_actions',
      ...interactions.envelope(options.userId),
      container: { type: 'view', view_id: stored.id },
      view: {
        ...stored.view,
        id: stored.id,
        team_id: teamId,
        hash: stored.hash,
        app_id: appId,
        bot_id: botId,
      },
      actions: [
        {
          action_id: element.action_id,
          block_id: block.block_id,
          ...chosenAction(element, options.selectedOption),
          action_ts: ws.nextTs(),
        },
      ],
    });
  }

  private async post(body: string, headers: Record<string, string> = {}): Promise<InteractionResult> {
    const target = this.deps.eventsUrl?.();
    if (!target) throw new Error('the Slack stand-in was started without eventsUrl');
    return postSigned(target, this.deps.signingSecret, body, {
      'content-type': 'application/json',
      ...headers,
    });
  }
}
