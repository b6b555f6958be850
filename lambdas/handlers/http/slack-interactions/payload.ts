// A namespace import lets esbuild drop the parts of zod we don't use (the named `z` export keeps all of it).
import * as z from 'zod';

const user = z.looseObject({
  id: z.string().min(1).max(64),
  name: z.string().optional(),
  username: z.string().optional(),
});

/** One element a person used: a button (value) or a select (selected_option). */
export const PressedActionSchema = z.looseObject({
  action_id: z.string().min(1).max(255),
  block_id: z.string().optional(),
  value: z.string().max(2000).optional(),
  selected_option: z.looseObject({ value: z.string().max(2000) }).nullish(),
});
export type PressedAction = z.infer<typeof PressedActionSchema>;

/** The fields of Slack's block_actions payload we rely on; Slack sends many more. */
export const BlockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user,
  trigger_id: z.string().optional(),
  channel: z.looseObject({ id: z.string().min(1) }).nullish(),
  container: z
    .looseObject({ channel_id: z.string().optional(), message_ts: z.string().optional() })
    .nullish(),
  message: z
    .looseObject({
      ts: z.string(),
      text: z.string().optional(),
      // Every block Slack shows back has a type: what @slack/types calls a `Block`.
      blocks: z.array(z.looseObject({ type: z.string() })).optional(),
    })
    .nullish(),
  response_url: z.string().optional(),
  actions: z.array(PressedActionSchema).min(1),
});
export type BlockActions = z.infer<typeof BlockActionsSchema>;

/** A modal submitted: `state.values[block_id][action_id]` holds what was entered. */
export const ViewSubmissionSchema = z.looseObject({
  type: z.literal('view_submission'),
  user,
  view: z.looseObject({
    id: z.string().optional(),
    callback_id: z.string().max(255).optional(),
    private_metadata: z.string().max(3000).optional(),
    state: z
      .looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) })
      .optional(),
  }),
});
export type ViewSubmission = z.infer<typeof ViewSubmissionSchema>;

/** Any interaction: we dispatch on `type` and accept (200) the kinds we don't handle. */
export const InteractionSchema = z.looseObject({ type: z.string().min(1) });
