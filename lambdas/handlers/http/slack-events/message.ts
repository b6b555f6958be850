// A namespace import lets esbuild drop the parts of zod we don't use (the named `z` export keeps all of it).
import * as z from 'zod';
import { forwardReply } from '../../../services/customer-replies.ts';

const slackTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/);

/**
 * A person's message in a channel the app is in (`message.channels`, `message.groups`). Everything else
 * Slack sends as a `message` is left alone: our own posts and other apps' (a `bot_id`, or the
 * `bot_message` subtype), edits, deletions, joins and the other subtypes — so a forward never loops back.
 * A reply that is also sent to the channel (`thread_broadcast`) or carries a file is still the customer
 * writing.
 */
export const CustomerMessageSchema = z
  .looseObject({
    type: z.literal('message'),
    channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/),
    channel_type: z.enum(['channel', 'group']).optional(),
    user: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
    text: z.string().max(40_000).default(''),
    ts: slackTs,
    thread_ts: slackTs.optional(),
    subtype: z.enum(['thread_broadcast', 'file_share']).optional(),
    bot_id: z.undefined().optional(),
    bot_profile: z.undefined().optional(),
    app_id: z.undefined().optional(),
    hidden: z.undefined().optional(),
  })
  .readonly();

export const customerMessage = async (event: z.infer<typeof CustomerMessageSchema>, at: Date) =>
  forwardReply(
    {
      channel: event.channel,
      ts: event.ts,
      ...(event.thread_ts !== undefined ? { threadTs: event.thread_ts } : {}),
      user: event.user,
      text: event.text,
    },
    at,
  );
