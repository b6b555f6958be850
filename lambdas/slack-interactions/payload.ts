// A namespace import lets esbuild drop the parts of zod we don't use (the named `z` export keeps all of it).
import * as z from 'zod';

/** The fields of Slack's block_actions payload we rely on; Slack sends many more. */
export const BlockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({
    id: z.string().min(1),
    name: z.string().optional(),
    username: z.string().optional(),
  }),
  channel: z.looseObject({ id: z.string().min(1) }).optional(),
  container: z
    .looseObject({ channel_id: z.string().optional(), message_ts: z.string().optional() })
    .optional(),
  message: z.looseObject({ ts: z.string(), text: z.string().optional() }).optional(),
  response_url: z.url().optional(),
  actions: z.array(z.looseObject({ action_id: z.string().min(1), value: z.string().optional() })).min(1),
});
export type BlockActions = z.infer<typeof BlockActionsSchema>;

/** Any interaction: we dispatch on `type` and accept (200) the kinds we don't handle yet. */
export const InteractionSchema = z.looseObject({ type: z.string().min(1) });
