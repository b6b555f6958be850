// zod/mini's functions, imported as a namespace, let esbuild keep only the schema kinds and checks used here.
import * as z from 'zod/mini';
import '../../../domain/zod-locale.ts';
import { nonEmpty } from '../../../domain/zod-parts.ts';

const maxed = (max: number) => z.string().check(z.maxLength(max));

const user = z.looseObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  name: z.optional(z.string()),
  username: z.optional(z.string()),
});

/** One element a person used: a button (value) or a select (selected_option). */
export const PressedActionSchema = z.looseObject({
  action_id: z.string().check(z.minLength(1), z.maxLength(255)),
  block_id: z.optional(z.string()),
  value: z.optional(maxed(2000)),
  selected_option: z.nullish(z.looseObject({ value: maxed(2000) })),
});
export type PressedAction = z.infer<typeof PressedActionSchema>;

/** The fields of Slack's block_actions payload we rely on; Slack sends many more. */
export const BlockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user,
  trigger_id: z.optional(z.string()),
  channel: z.nullish(z.looseObject({ id: nonEmpty })),
  container: z.nullish(
    z.looseObject({ channel_id: z.optional(z.string()), message_ts: z.optional(z.string()) }),
  ),
  message: z.nullish(
    z.looseObject({
      ts: z.string(),
      text: z.optional(z.string()),
      // Every block Slack shows back has a type: what @slack/types calls a `Block`.
      blocks: z.optional(z.array(z.looseObject({ type: z.string() }))),
    }),
  ),
  response_url: z.optional(z.string()),
  actions: z.array(PressedActionSchema).check(z.minLength(1)),
});
export type BlockActions = z.infer<typeof BlockActionsSchema>;

/** A modal submitted: `state.values[block_id][action_id]` holds what was entered. */
export const ViewSubmissionSchema = z.looseObject({
  type: z.literal('view_submission'),
  user,
  view: z.looseObject({
    id: z.optional(z.string()),
    callback_id: z.optional(maxed(255)),
    private_metadata: z.optional(maxed(3000)),
    state: z.optional(
      z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }),
    ),
  }),
});
export type ViewSubmission = z.infer<typeof ViewSubmissionSchema>;

/** Any interaction: we dispatch on `type` and accept (200) the kinds we don't handle. */
export const InteractionSchema = z.looseObject({ type: nonEmpty });
