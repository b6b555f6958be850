import { dynamodb } from '../adapters/dynamodb.ts';
import { tableName } from '../adapters/env.ts';
import { header, json, rawBody, text, type HttpEvent, type HttpResult } from '../adapters/http.ts';
import { logger } from '../adapters/logger.ts';
import { loadRoster } from '../adapters/roster-store.ts';
import { secret } from '../adapters/secrets.ts';
import { verifySlackSignature } from '../adapters/signatures.ts';
import { slack } from '../adapters/slack.ts';
import { tell } from './tell.ts';
import { BlockActionsSchema, InteractionSchema } from './payload.ts';
import { isOwnerButton, pressOwnerButton } from './owner-decision.ts';

/** Slack wants a 200 within 3 s; everything here is a handful of table reads and one task completion. */
export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  const body = rawBody(event);
  const verified = verifySlackSignature(
    body,
    { signature: header(event, 'x-slack-signature'), timestamp: header(event, 'x-slack-request-timestamp') },
    await secret('SLACK', 'SLACK_SIGNING_SECRET'),
  );
  if (!verified.ok) return json(401, { error: verified.reason });

  const raw = new URLSearchParams(body).get('payload');
  if (raw === null) return json(400, { error: 'form field "payload" is missing' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return json(400, { error: 'form field "payload" is not JSON' });
  }
  const interaction = InteractionSchema.safeParse(parsed);
  if (!interaction.success) return json(400, { error: 'payload has no "type"' });
  if (interaction.data.type !== 'block_actions') return text(200, '');

  const actions = BlockActionsSchema.safeParse(parsed);
  if (!actions.success) return json(400, { error: 'block_actions payload is missing user or actions' });
  const payload = actions.data;
  const pressed = payload.actions[0];
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  if (!pressed || !isOwnerButton(pressed.action_id)) return text(200, '');

  const web = await slack();
  const roster = await loadRoster({ tableName: tableName(), dynamodb });
  const result = await pressOwnerButton({
    web,
    roster,
    buttonActionId: pressed.action_id,
    actionId: pressed.value ?? '',
    slackUserId: payload.user.id,
    now: new Date(),
  });
  logger.info('button pressed', { button: pressed.action_id, accepted: result.ok });
  if (!result.ok)
    await tell(web, { responseUrl: payload.response_url, channel, user: payload.user.id, text: result.tell });
  return text(200, '');
};
