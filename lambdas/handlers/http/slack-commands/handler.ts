import type { Roster } from "../../../domain/roster.ts";
import {
  json,
  type HttpEvent,
  type HttpResult,
} from "../../../adapters/http.ts";
import { logContext, logger } from "../../../adapters/logger.ts";
import { currentRoster } from "../../../adapters/roster.ts";
import { verifiedSlackRequest } from "../../../adapters/slack-request.ts";
import { usage } from "../../../messages/comms-help.ts";
import { ArgumentError, splitFirst, unescapeSlack } from "./args.ts";
import { broadcast } from "./broadcast.ts";
import type { CommandContext, Subcommand } from "./context.ts";
import { declare, maintenance } from "./declare.ts";
import { isChannelId } from "../../../adapters/incident-ids.ts";
import { lead } from "./lead.ts";
import { postmortem } from "./postmortem.ts";
import { resolve, update } from "./signal.ts";
import { status } from "./status.ts";
import { lambdaHandler } from "../../../adapters/lambda-handler.ts";

/**
 * `/comms <subcommand> …`, each a `Subcommand` in its own module. `people` marks the ones that change
 * something: only people in the roster may use them (anyone in the workspace can read `status` and `help`).
 */
const SUBCOMMANDS: Record<string, { run: Subcommand; people: boolean }> = {
  declare: { run: declare, people: true },
  update: { run: update, people: true },
  resolve: { run: resolve, people: true },
  maintenance: { run: maintenance, people: true },
  status: { run: status, people: false },
  postmortem: { run: postmortem, people: true },
  lead: { run: lead, people: true },
  broadcast: { run: broadcast, people: true },
};

const ephemeral = (body: string): HttpResult =>
  json(200, { response_type: "ephemeral", text: body });

/**
 * POST /slack/commands. Answers: 401 without a valid, fresh v0 signature; otherwise always 200 with an
 * ephemeral reply — the result, or what was wrong with the arguments followed by the usage. Slack shows a
 * non-200 as a bare failure, so even our own errors are said in words (and logged).
 */
export const handler = lambdaHandler(
  async (event: HttpEvent): Promise<HttpResult> => {
    logContext({ route: "slack-commands" });
    const { verified, bytes } = await verifiedSlackRequest(event);
    if (!verified.ok) return json(401, { error: verified.reason });

    const form = new URLSearchParams(bytes.toString("utf8"));
    const { first, rest } = splitFirst(unescapeSlack(form.get("text") ?? ""));
    const name = first.toLowerCase();
    logContext({ route: "slack-commands", subcommand: name || "help" });
    // Kept for the usage text when a subcommand's arguments are wrong.
    let roster: Roster | undefined;
    try {
      roster = await currentRoster();
      if (name === "" || name === "help") return ephemeral(usage(roster));
      const sub = Object.hasOwn(SUBCOMMANDS, name)
        ? SUBCOMMANDS[name]
        : undefined;
      if (!sub)
        return ephemeral(
          `There is no \`/comms ${first.slice(0, 40)}\`.\n\n${usage(roster)}`,
        );
      const slackUserId = form.get("user_id") ?? "";
      const person = roster.people.find((p) => p.slackUserId === slackUserId);
      if (sub.people && !person) {
        return ephemeral(
          `Only people in the incident-comms roster can use \`/comms ${name}\`; ask the CMOC.`,
        );
      }
      const channelId = form.get("channel_id");
      const triggerId = form.get("trigger_id");
      const ctx: CommandContext = {
        roster,
        now: new Date(),
        slackUserId,
        ...(person ? { person } : {}),
        ...(isChannelId(channelId) ? { channelId } : {}),
        ...(triggerId ? { triggerId } : {}),
      };
      return ephemeral(await sub.run(ctx, rest));
    } catch (error) {
      if (error instanceof ArgumentError) {
        return ephemeral(
          `${error.message}${roster ? `\n\n${usage(roster)}` : ""}`,
        );
      }
      logger.error("slash command failed", { error });
      return ephemeral(
        "Something went wrong on our side. Check `/comms status` to see what took effect before trying again.",
      );
    }
  },
);
