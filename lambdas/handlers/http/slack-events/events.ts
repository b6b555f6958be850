// zod/mini's functions, imported as a namespace, let esbuild keep only the schema kinds and checks used here.
import * as z from 'zod/mini';
import '../../../domain/zod-locale.ts';
import { nonEmpty } from '../../../domain/zod-parts.ts';
import { markHomeOpened } from '../../../adapters/app-home.ts';
import { publishHomeOf } from '../../../services/app-home.ts';
import { customerMessage, CustomerMessageSchema } from './message.ts';

/** The Events API's outer envelope: `url_verification` once, `event_callback` for every event. */
export const EnvelopeSchema = z.looseObject({ type: nonEmpty });

export const UrlVerificationSchema = z.looseObject({
  type: z.literal('url_verification'),
  challenge: z.string().check(z.minLength(1), z.maxLength(1000)),
});

export const EventCallbackSchema = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string().check(z.minLength(1), z.maxLength(255)),
  event_time: z.optional(z.number()),
  event: z.looseObject({ type: nonEmpty }),
});
export type EventCallback = z.infer<typeof EventCallbackSchema>;

/**
 * One kind of event: `accepts` reads the event while Slack waits (no I/O) and says whether it is one we act
 * on — an event we don't act on is answered 200 and ignored, with no claim written; `run` acts on it in the
 * follow-up, as of when it arrived, and says what came of it (an id-only outcome for the dedup record).
 */
export interface EventHandler {
  accepts: (event: unknown) => boolean;
  run: (event: unknown, at: Date) => Promise<string>;
}

/** A handler for the events `schema` accepts; the follow-up parses the event again before acting on it. */
function handlerOf<S extends z.ZodMiniType>(
  schema: S,
  run: (event: z.infer<S>, at: Date) => Promise<string>,
): EventHandler {
  return {
    accepts: (event) => schema.safeParse(event).success,
    run: (event, at) => run(schema.parse(event), at),
  };
}

const AppHomeOpenedSchema = z.looseObject({
  type: z.literal('app_home_opened'),
  user: z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/)),
  // Slack sends it for the Messages tab too; only the Home tab shows what we publish.
  tab: z.literal('home'),
});

const appHomeOpened = handlerOf(AppHomeOpenedSchema, async (event, at) => {
  // Recorded first: from now on every change to their asks republishes their Home.
  await markHomeOpened(event.user, at);
  return publishHomeOf(event.user, at);
});

/**
 * Events by type. Each has its bot event in slack-app-manifest.yaml; anything not listed is answered 200
 * and ignored.
 */
export const EVENT_HANDLERS: Readonly<Record<string, EventHandler>> = {
  app_home_opened: appHomeOpened,
  // A customer's reply to one of our updates reaches whoever sent it (services/customer-replies.ts).
  message: handlerOf(CustomerMessageSchema, customerMessage),
};
