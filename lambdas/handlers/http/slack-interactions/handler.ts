import type { Roster } from '../../../domain/roster.ts';
import { ifDefined } from '../../../domain/optional.ts';
import { followUp, frontDoor, type FollowUp } from '../../../adapters/follow-up.ts';
import { json, text, type HttpEvent, type HttpResult } from '../../../adapters/http.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { verifiedSlackRequest } from '../../../adapters/slack-request.ts';
import { slack } from '../../../adapters/slack.ts';
import { tell } from '../../../adapters/slack-tell.ts';
import { CORRECT_CALLBACK_ID } from '../../../messages/correct-modal.ts';
import { EDIT_CALLBACK_ID } from '../../../messages/edit-modal.ts';
import {
  route,
  type BlockActionHandler,
  type InteractionContext,
  type ViewSubmissionHandler,
} from './dispatch.ts';
import { correctButton, submitCorrection } from './correct-modal.ts';
import { submitEdit } from './edit-modal.ts';
import { cmocButton } from './cmoc-decision.ts';
import { ownerButton } from './owner-decision.ts';
import { recoveryButton } from './recovery-decision.ts';
import { BlockActionsSchema, InteractionSchema, ViewSubmissionSchema, type BlockActions } from './payload.ts';

/**
 * Buttons and selects, by action_id prefix. Each family lives in its own module:
 *   owner:  the account owner's DM (owner-decision.ts)
 *   cmoc:   the CMOC's "Start customer comms" / "No customer impact" / severity / "Approve draft"
 *           (cmoc-decision.ts adds its entry here)
 *   recovery: "Try again" / "Stop comms" on a step that failed past its retries (recovery-decision.ts)
 *   correct: "Correct" on the sender's "sent" DM, which opens the correction modal (correct-modal.ts)
 * Anything else is answered 200 and ignored. A handler runs in the follow-up, after Slack has its answer.
 */
const BLOCK_ACTIONS: Record<string, BlockActionHandler> = {
  'owner:': ownerButton,
  'cmoc:': cmocButton,
  'recovery:': recoveryButton,
  'correct:': correctButton,
};

/** Modal submissions, by callback_id prefix: `check` while Slack waits, `finish` in the follow-up. */
const VIEW_SUBMISSIONS: Record<string, ViewSubmissionHandler> = {
  [EDIT_CALLBACK_ID]: submitEdit,
  [CORRECT_CALLBACK_ID]: submitCorrection,
};

const SOMETHING_WENT_WRONG = 'Something went wrong on our side and nothing changed; please press again.';

/** What the follow-up carries: the interaction as Slack sent it (checked again when it runs). */
type Later = FollowUp<'block-action' | 'view-submission', unknown>;

/**
 * POST /slack/interactions, answered first and finished after (docs/architecture.md, "Answer first, then
 * finish"). Answers, within Slack's 3 s whatever Slack or Step Functions are doing: 401 without a valid,
 * fresh v0 signature; 400 for a body that is not an interaction payload; otherwise 200 — empty for a
 * button (Slack ignores an answer's body for block actions: what happened shows in the message when the
 * follow-up has updated it, or an ephemeral note tells the presser why nothing changed),
 * `response_action: "errors"` for a modal that needs another look. The same function, invoked with the
 * follow-up, does the rest.
 */
export const handler = frontDoor<Later>(answer, finish);

async function answer(event: HttpEvent, context: { functionName: string }): Promise<HttpResult> {
  logContext({ route: 'slack-interactions' });
  const acceptedAt = new Date();
  const { verified, bytes } = await verifiedSlackRequest(event);
  if (!verified.ok) return json(401, { error: verified.reason });

  const raw = new URLSearchParams(bytes.toString('utf8')).get('payload');
  if (raw === null) return json(400, { error: 'form field "payload" is missing' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return json(400, { error: 'form field "payload" is not JSON' });
  }
  const interaction = InteractionSchema.safeParse(parsed);
  if (!interaction.success) return json(400, { error: 'payload has no "type"' });

  if (interaction.data.type === 'block_actions') {
    const actions = BlockActionsSchema.safeParse(parsed);
    if (!actions.success) return json(400, { error: 'block_actions payload is missing user or actions' });
    const pressed = actions.data.actions[0];
    if (!pressed || !route(BLOCK_ACTIONS, pressed.action_id)) return text(200, '');
    logContext({ route: 'slack-interactions', button: pressed.action_id });
    await followUp(context, 'block-action', actions.data, acceptedAt);
    return text(200, '');
  }
  if (interaction.data.type === 'view_submission') {
    const submission = ViewSubmissionSchema.safeParse(parsed);
    if (!submission.success) return json(400, { error: 'view_submission payload is missing user or view' });
    const submit = route(VIEW_SUBMISSIONS, submission.data.view.callback_id ?? '');
    if (!submit) return text(200, '');
    logContext({ route: 'slack-interactions', callbackId: submission.data.view.callback_id });
    // A thrown error becomes a 5xx, which Slack shows in the modal while keeping what the person typed.
    const ctx = contextFor(submission.data.user.id, acceptedAt, 'check');
    const reply = await submit.check(ctx, submission.data);
    if (reply) return json(200, { response_action: 'errors', errors: reply.errors });
    await followUp(context, 'view-submission', submission.data, acceptedAt);
    return text(200, '');
  }
  return text(200, '');
}

/** The follow-up: the press or submission run as if Slack had just sent it, at the moment it did. */
async function finish(event: Later): Promise<void> {
  logContext({ route: 'slack-interactions', followUp: event.followUp, id: event.id });
  const acceptedAt = new Date(event.acceptedAt);
  if (event.followUp === 'block-action') {
    const payload = BlockActionsSchema.parse(event.payload);
    await blockAction(payload, contextFor(payload.user.id, acceptedAt, event.id));
    return;
  }
  if (event.followUp === 'view-submission') {
    const payload = ViewSubmissionSchema.parse(event.payload);
    const submit = route(VIEW_SUBMISSIONS, payload.view.callback_id ?? '');
    if (!submit) return;
    const ctx = contextFor(payload.user.id, acceptedAt, event.id);
    const said = await run('modal submission', () => submit.finish(ctx, payload));
    if (said !== undefined) await tellPresser(ctx, said);
    return;
  }
  // Only this function queues follow-ups: another kind is a bug, left to the dead-letter queue.
  throw new Error(`unknown follow-up "${String(event.followUp)}"`);
}

async function blockAction(payload: BlockActions, ctx: InteractionContext): Promise<void> {
  const pressed = payload.actions[0];
  const handle = pressed ? route(BLOCK_ACTIONS, pressed.action_id) : undefined;
  if (!pressed || !handle) return;
  logContext({ route: 'slack-interactions', button: pressed.action_id, id: ctx.id });
  const said = await run('button press', () => handle(ctx, pressed, payload));
  logger.info('button pressed', { button: pressed.action_id, accepted: said === undefined });
  if (said !== undefined) await tellPresser(ctx, said, payload);
}

/**
 * What to tell the person, if anything. A failure is said to them (nothing changed; they press again) and
 * not retried: a person is waiting on it, and the press itself is safe to repeat.
 */
async function run(what: string, work: () => Promise<{ tell?: string }>): Promise<string | undefined> {
  try {
    return (await work()).tell;
  } catch (error) {
    logger.error(`${what} failed`, { error });
    return SOMETHING_WENT_WRONG;
  }
}

/** Said where the press was (a button's response_url or conversation), or — after a modal — in a DM. */
async function tellPresser(ctx: InteractionContext, said: string, where?: BlockActions): Promise<void> {
  const to = {
    ...ifDefined('responseUrl', where?.response_url),
    ...ifDefined('channel', where?.channel?.id ?? where?.container?.channel_id),
    user: ctx.slackUserId,
    text: said,
  };
  await ctx
    .web()
    .then((web) => tell(web, to))
    .catch((error: unknown) => logger.warn('no Slack client to tell the presser', { error }));
}

function contextFor(slackUserId: string, now: Date, id: string): InteractionContext {
  let roster: Promise<Roster> | undefined;
  return {
    web: () => slack(),
    roster: () => (roster ??= currentRoster()),
    now,
    slackUserId,
    id,
  };
}
