import type { Roster } from "../../../domain/roster.ts";
import { ifDefined } from "../../../domain/optional.ts";
import {
  json,
  text,
  type HttpEvent,
  type HttpResult,
} from "../../../adapters/http.ts";
import { logContext, logger } from "../../../adapters/logger.ts";
import { currentRoster } from "../../../adapters/roster.ts";
import { verifiedSlackRequest } from "../../../adapters/slack-request.ts";
import { slack } from "../../../adapters/slack.ts";
import { EDIT_CALLBACK_ID } from "../../../messages/edit-modal.ts";
import {
  route,
  type BlockActionHandler,
  type InteractionContext,
  type ViewSubmissionHandler,
} from "./dispatch.ts";
import { submitEdit } from "./edit-modal.ts";
import { cmocButton } from "./cmoc-decision.ts";
import { ownerButton } from "./owner-decision.ts";
import {
  BlockActionsSchema,
  InteractionSchema,
  ViewSubmissionSchema,
  type BlockActions,
} from "./payload.ts";
import { tell } from "./tell.ts";
import { lambdaHandler } from "../../../adapters/lambda-handler.ts";

/**
 * Buttons and selects, by action_id prefix. Each family lives in its own module:
 *   owner:  the account owner's DM (owner-decision.ts)
 *   cmoc:   the CMOC's "Start customer comms" / "No customer impact" / severity / "Approve draft"
 *           (cmoc-decision.ts adds its entry here)
 * Anything else is answered 200 and ignored.
 */
const BLOCK_ACTIONS: Record<string, BlockActionHandler> = {
  "owner:": ownerButton,
  "cmoc:": cmocButton,
};

/** Modal submissions, by callback_id prefix. */
const VIEW_SUBMISSIONS: Record<string, ViewSubmissionHandler> = {
  [EDIT_CALLBACK_ID]: submitEdit,
};

const SOMETHING_WENT_WRONG =
  "Something went wrong on our side and nothing changed; please press again.";

/**
 * POST /slack/interactions. Answers: 401 without a valid, fresh v0 signature; 400 for a body that is not
 * an interaction payload; otherwise 200 — empty for a button (what happened shows in the message, or an
 * ephemeral note tells the presser why nothing changed), `response_action: "errors"` for a modal that
 * needs another look. Slack wants the answer within 3 s: the handlers do a few table reads and at most one
 * task completion and one message update.
 */
export const handler = lambdaHandler(
  async (event: HttpEvent): Promise<HttpResult> => {
    logContext({ route: "slack-interactions" });
    const { verified, bytes } = await verifiedSlackRequest(event);
    if (!verified.ok) return json(401, { error: verified.reason });

    const raw = new URLSearchParams(bytes.toString("utf8")).get("payload");
    if (raw === null)
      return json(400, { error: 'form field "payload" is missing' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return json(400, { error: 'form field "payload" is not JSON' });
    }
    const interaction = InteractionSchema.safeParse(parsed);
    if (!interaction.success)
      return json(400, { error: 'payload has no "type"' });

    if (interaction.data.type === "block_actions") {
      const actions = BlockActionsSchema.safeParse(parsed);
      if (!actions.success)
        return json(400, {
          error: "block_actions payload is missing user or actions",
        });
      return blockAction(actions.data);
    }
    if (interaction.data.type === "view_submission") {
      const submission = ViewSubmissionSchema.safeParse(parsed);
      if (!submission.success)
        return json(400, {
          error: "view_submission payload is missing user or view",
        });
      const submit = route(
        VIEW_SUBMISSIONS,
        submission.data.view.callback_id ?? "",
      );
      if (!submit) return text(200, "");
      logContext({
        route: "slack-interactions",
        callbackId: submission.data.view.callback_id,
      });
      // A thrown error becomes a 5xx, which Slack shows in the modal while keeping what the person typed.
      const reply = await submit(
        contextFor(submission.data.user.id),
        submission.data,
      );
      return reply
        ? json(200, { response_action: "errors", errors: reply.errors })
        : text(200, "");
    }
    return text(200, "");
  },
);

async function blockAction(payload: BlockActions): Promise<HttpResult> {
  const pressed = payload.actions[0];
  const handle = pressed ? route(BLOCK_ACTIONS, pressed.action_id) : undefined;
  if (!pressed || !handle) return text(200, "");
  logContext({ route: "slack-interactions", button: pressed.action_id });
  const ctx = contextFor(payload.user.id);
  let said: string | undefined;
  try {
    said = (await handle(ctx, pressed, payload)).tell;
  } catch (error) {
    logger.error("button press failed", { error });
    said = SOMETHING_WENT_WRONG;
  }
  logger.info("button pressed", {
    button: pressed.action_id,
    accepted: said === undefined,
  });
  if (said !== undefined) {
    const to = {
      ...ifDefined("responseUrl", payload.response_url),
      ...ifDefined(
        "channel",
        payload.channel?.id ?? payload.container?.channel_id,
      ),
      user: payload.user.id,
      text: said,
    };
    await ctx
      .web()
      .then((web) => tell(web, to))
      .catch((error: unknown) =>
        logger.warn("no Slack client to tell the presser", { error }),
      );
  }
  return text(200, "");
}

function contextFor(slackUserId: string): InteractionContext {
  let roster: Promise<Roster> | undefined;
  return {
    web: () => slack(),
    roster: () => (roster ??= currentRoster()),
    now: new Date(),
    slackUserId,
  };
}
