import type { AnyBlock } from '@slack/types';
import type { EventResult, HomeSide } from './home.ts';
import type { PageOptions } from './page/html.ts';

export interface SlackStandInUser {
  id: string;
  name: string;
  realName: string;
  /** IANA time zone, e.g. Europe/London. */
  tz: string;
  email?: string;
  presence?: 'active' | 'away';
  imageUrl?: string;
}

export interface SlackStandInOptions {
  port?: number;
  botToken: string;
  signingSecret: string;
  teamId?: string;
  users: SlackStandInUser[];
  channels?: { id: string; name: string }[];
  /** Where button presses are sent (the app's /slack/interactions); a function so it can be set after the app starts. */
  interactionsUrl: () => string;
  /** Optional per-channel rate limit like Slack's ~1 msg/s: answer 429 + Retry-After when exceeded. */
  rateLimit?: { perChannelPerSecond: number };
  /** Every Web API call is answered this long after it arrived (a slow Slack); 0 by default. */
  delayMs?: number;
  /** Where slash commands are sent (the app's /slack/commands); needed only for `command()`. */
  commandsUrl?: () => string;
  /** Where Events API events are sent (the app's /slack/events); needed only for `home`. */
  eventsUrl?: () => string;
  /** What the page links to and who sees which channel (local/slack/page/). */
  page?: PageOptions;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: AnyBlock[];
  username?: string;
  iconUrl?: string;
  metadata?: unknown;
  /** Set for chat.postEphemeral (and ephemeral response_url replies): the only user who sees it. */
  ephemeralTo?: string;
  postedAt: Date;
  edits: number;
  deleted?: boolean;
}

export type SlackFault =
  | { status: 429; retryAfterSeconds: number }
  /** `afterPosting`: the post is stored, then the answer is a 500 — the caller cannot know it went out. */
  | { status: 500; afterPosting?: boolean }
  | { error: string };

export interface RecordedCall {
  method: string;
  /** The arguments as the server decoded them (JSON-encoded form fields parsed), without the token. */
  args: Record<string, unknown>;
  at: Date;
  /** HTTP status answered (429 and 500 only for rate limits and injected faults). */
  status: number;
  /** Slack's `error` when the call answered `ok: false`. */
  error?: string;
  /** When the answer was sent (later than `at` by the delay, if one is set); absent while it is pending. */
  answeredAt?: Date;
}

/** What the app answered a slash command, and what it posted to the command's response_url since. */
export interface CommandResult extends InteractionResult {
  responseUrl: string;
  /** The bodies posted to the response_url, oldest first. */
  replies(): Record<string, unknown>[];
}

export interface InteractionResult {
  status: number;
  body: string;
}

export interface SlackStandIn {
  url: string;
  /** `${url}/api/`, for WebClient's slackApiUrl / SLACK_API_URL. */
  apiUrl: string;
  teamId: string;
  botUserId: string;
  appId: string;
  /** The user on the other side of a DM channel id (`D…`), or undefined if it is not a DM. */
  dmUser(channel: string): string | undefined;
  messages(filter?: { channel?: string; user?: string; text?: string | RegExp }): StoredMessage[];
  press(options: {
    channel: string;
    ts: string;
    actionId: string;
    userId: string;
  }): Promise<InteractionResult>;
  submitView(options: {
    viewId: string;
    userId: string;
    values: Record<string, Record<string, unknown>>;
  }): Promise<InteractionResult>;
  /**
   * A slash command typed by `userId` in `channel` (any conversation id), sent signed to the app the way
   * Slack sends it, with a response_url of its own.
   */
  command(options: {
    userId: string;
    channel: string;
    text: string;
    command?: string;
  }): Promise<CommandResult>;
  /**
   * App Home (local/slack/home.ts): the view the app published for a person, their opening the tab
   * (app_home_opened, signed, to eventsUrl), a press on it, and any Events API delivery.
   */
  home: HomeSide;
  /** The modals opened with views.open / views.push, newest last. */
  views(): { id: string; userId?: string; view: Record<string, unknown>; closed: boolean }[];
  /**
   * A person writes in a conversation (a customer's reply in their channel, or in a thread with
   * `threadTs`): the app did not post it, and hears nothing of it.
   */
  postAs(options: { userId: string; channel: string; text: string; threadTs?: string }): StoredMessage;
  /**
   * The same, and Slack tells the app: a `message` event (message.channels / message.groups), signed, to
   * eventsUrl. What the app answered and the event's id come back with the stored message.
   */
  say(options: {
    userId: string;
    channel: string;
    text: string;
    threadTs?: string;
  }): Promise<{ message: StoredMessage; delivery: EventResult }>;
  /** Someone joins the workspace (a customer's contact in a shared channel, say). */
  addUser(user: SlackStandInUser): void;
  setPresence(userId: string, presence: 'active' | 'away'): void;
  addChannel(channel: { id: string; name: string }): void;
  failNext(method: string, fault: SlackFault, count?: number, channel?: string): void;
  /**
   * A deterministic (seeded) fraction of `method` calls answers with `fault`, until stopFailing(). Calling it
   * again adds another fault (e.g. 10 % 429 and 5 % 500).
   */
  failRandomly(method: string, fault: SlackFault, fraction: number, seed?: number): void;
  stopFailing(): void;
  /** From now on every Web API call answers `ms` after it arrived (0: at once). */
  setDelay(ms: number): void;
  on(event: 'message', listener: (m: StoredMessage) => void): void;
  calls(method?: string): RecordedCall[];
  close(): Promise<void>;
}
