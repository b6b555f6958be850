// zod/mini's functions, imported as a namespace, let esbuild keep only the schema kinds and checks used here.
import * as z from 'zod/mini';
import '../../../domain/zod-locale.ts';
import { forwardReply } from '../../../services/customer-replies.ts';

const slackTs = z.string().check(z.regex(/^\d{1,12}\.\d{1,9}$/));

/**
 * A person's message in a channel the app is in (`message.channels`, `message.groups`). Everything else
 * Slack sends as a `message` is left alone: our own posts and other apps' (a `bot_id`, or the
 * `bot_message` subtype), edits, deletions, joins and the other subtypes — so a forward never loops back.
 * A reply that is also sent to the channel (`thread_broadcast`) or carries a file is still the customer
 * writing.
 */
export const CustomerMessageSchema = z.readonly(
  z.looseObject({
    type: z.literal('message'),
    channel: z.string().check(z.regex(/^[CG][A-Z0-9]{2,}$/)),
    channel_type: z.optional(z.enum(['channel', 'group'])),
    user: z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/)),
    text: z._default(z.string().check(z.maxLength(40_000)), ''),
    ts: slackTs,
    thread_ts: z.optional(slackTs),
    subtype: z.optional(z.enum(['thread_broadcast', 'file_share'])),
    bot_id: z.optional(z.undefined()),
    bot_profile: z.optional(z.undefined()),
    app_id: z.optional(z.undefined()),
    hidden: z.optional(z.undefined()),
  }),
);

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
