import { ifDefined } from '../../../domain/optional.ts';
import type { Roster } from '../../../domain/roster.ts';
import { followUp, frontDoor, type FollowUp } from '../../../adapters/follow-up.ts';
import { json, type HttpEvent, type HttpResult } from '../../../adapters/http.ts';
import { isChannelId } from '../../../adapters/incident-ids.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { verifiedSlackRequest } from '../../../adapters/slack-request.ts';
import { tell } from '../../../adapters/slack-tell.ts';
import { slack } from '../../../adapters/slack.ts';
import { usage, workingOn } from '../../../messages/comms-help.ts';
import { ArgumentError, splitFirst, unescapeSlack } from './args.ts';
import { broadcast } from './broadcast.ts';
import { correct } from './correct.ts';
import type { CommandContext, Subcommand } from './context.ts';
import { checkDeclare, checkMaintenance, declare, maintenance } from './declare.ts';
import { lead } from './lead.ts';
import { postmortem } from './postmortem.ts';
import { resolve, update } from './signal.ts';
import { resume } from './resume.ts';
import { status } from './status.ts';

/**
 * `/comms <subcommand> …`, each a `Subcommand` in its own module. `people` marks the ones that change
 * something: only people in the roster may use them (anyone in the workspace can read `status` and `help`).
 * `check`, where a subcommand has one, reads its arguments while Slack waits (pure, the roster at hand), so
 * a mistake is said at once with the usage; `run` goes in the follow-up and answers through response_url.
 */
interface Entry {
  run: Subcommand;
  people: boolean;
  check?: (ctx: CommandContext, args: string) => void;
}
const SUBCOMMANDS: Record<string, Entry> = {
  declare: { run: declare, people: true, check: checkDeclare },
  update: { run: update, people: true },
  resolve: { run: resolve, people: true },
  maintenance: { run: maintenance, people: true, check: checkMaintenance },
  status: { run: status, people: false },
  postmortem: { run: postmortem, people: true },
  lead: { run: lead, people: true },
  broadcast: { run: broadcast, people: true },
  resume: { run: resume, people: true },
  correct: { run: correct, people: true },
};

/** What the follow-up needs of the command: who typed what, where, and where to answer. */
interface Typed {
  name: string;
  args: string;
  slackUserId: string;
  channelId?: string;
  triggerId?: string;
  responseUrl?: string;
}
type Later = FollowUp<'command', Typed>;

const ephemeral = (body: string): HttpResult => json(200, { response_type: 'ephemeral', text: body });
const OUR_FAULT =
  'Something went wrong on our side. Check `/comms status` to see what took effect before trying again.';

/**
 * POST /slack/commands, answered first and finished after (docs/architecture.md, "Answer first, then
 * finish"). Answers, within Slack's 3 s: 401 without a valid, fresh v0 signature; otherwise 200 with an
 * ephemeral reply — the usage, what was wrong with the arguments followed by the usage, or "working on
 * it" while the follow-up (the same function, invoked again) runs the command and answers through the
 * command's response_url. Slack shows a non-200 as a bare failure, so even our own errors are said in
 * words (and logged).
 */
export const handler = frontDoor<Later>(answer, finish);

async function answer(event: HttpEvent, context: { functionName: string }): Promise<HttpResult> {
  logContext({ route: 'slack-commands' });
  const acceptedAt = new Date();
  const { verified, bytes } = await verifiedSlackRequest(event);
  if (!verified.ok) return json(401, { error: verified.reason });

  const form = new URLSearchParams(bytes.toString('utf8'));
  const { first, rest } = splitFirst(unescapeSlack(form.get('text') ?? ''));
  const name = first.toLowerCase();
  logContext({ route: 'slack-commands', subcommand: name || 'help' });
  // Kept for the usage text when a subcommand's arguments are wrong.
  let roster: Roster | undefined;
  try {
    roster = await currentRoster();
    if (name === '' || name === 'help') return ephemeral(usage(roster));
    const sub = entryOf(name);
    if (!sub) return ephemeral(`There is no \`/comms ${first.slice(0, 40)}\`.\n\n${usage(roster)}`);
    const typed: Typed = {
      name,
      args: rest,
      slackUserId: form.get('user_id') ?? '',
      ...ifDefined('channelId', form.get('channel_id') || undefined),
      ...ifDefined('triggerId', form.get('trigger_id') || undefined),
      ...ifDefined('responseUrl', form.get('response_url') || undefined),
    };
    const ctx = contextOf(roster, typed, acceptedAt);
    if (sub.people && !ctx.person) {
      return ephemeral(`Only people in the incident-comms roster can use \`/comms ${name}\`; ask the CMOC.`);
    }
    sub.check?.(ctx, rest);
    await followUp(context, 'command', typed, acceptedAt);
    return ephemeral(workingOn(name));
  } catch (error) {
    if (error instanceof ArgumentError) {
      return ephemeral(`${error.message}${roster ? `\n\n${usage(roster)}` : ''}`);
    }
    logger.error('slash command failed', { error });
    return ephemeral(OUR_FAULT);
  }
}

/**
 * The follow-up: the command run at the moment it was typed, its reply said to the person alone. Not
 * retried on failure: they are told and decide (each subcommand's effects are idempotent — a declaration
 * claims itself, a signal carries Slack's trigger id — so a repeated delivery changes nothing twice).
 */
async function finish(event: Later): Promise<void> {
  const typed = event.payload;
  logContext({ route: 'slack-commands', subcommand: typed.name, id: event.id });
  let reply: string;
  let roster: Roster | undefined;
  try {
    roster = await currentRoster();
    const sub = entryOf(typed.name);
    if (!sub) throw new Error(`no subcommand ${typed.name}`);
    reply = await sub.run(contextOf(roster, typed, new Date(event.acceptedAt)), typed.args);
  } catch (error) {
    if (error instanceof ArgumentError) {
      reply = `${error.message}${roster ? `\n\n${usage(roster)}` : ''}`;
    } else {
      logger.error('slash command failed', { error });
      reply = OUR_FAULT;
    }
  }
  await tell(await slack(), {
    ...ifDefined('responseUrl', typed.responseUrl),
    ...ifDefined('channel', typed.channelId),
    user: typed.slackUserId,
    text: reply,
  });
}

const entryOf = (name: string): Entry | undefined =>
  Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;

function contextOf(roster: Roster, typed: Typed, now: Date): CommandContext {
  const person = roster.people.find((p) => p.slackUserId === typed.slackUserId);
  return {
    roster,
    now,
    slackUserId: typed.slackUserId,
    ...(person ? { person } : {}),
    ...(isChannelId(typed.channelId) ? { channelId: typed.channelId } : {}),
    ...ifDefined('triggerId', typed.triggerId),
  };
}
