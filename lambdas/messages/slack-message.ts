import type { AnyBlock, KnownBlock } from '@slack/types';

/** A Slack message as the app builds it: the notification text and Block Kit blocks Slack knows. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * A message as Slack showed it back (the pressed DM in an interaction payload): its blocks are whatever
 * Slack sent, each at least a `Block` (a `type`, maybe a `block_id`).
 */
export interface ShownMessage {
  text: string;
  blocks: AnyBlock[];
}
