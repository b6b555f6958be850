import { dynamodb } from '../adapters/dynamodb.ts';
import { tableName } from '../adapters/env.ts';
import { getIncident } from '../adapters/incidents.ts';
import { logContext } from '../adapters/logger.ts';
import { logOf } from '../adapters/notification-log.ts';
import { getRound } from '../adapters/rounds.ts';
import { loadRoster } from '../adapters/roster-store.ts';
import { dmChannel, slack } from '../adapters/slack.ts';
import { personById } from '../drafting/render.ts';
import type { NotifyCmocInput } from '../payloads.ts';
import { cmocNotice } from './message.ts';

/** Tells the incident's CMOC what needs a person. The workflow's "never a silent stop" ends here. */
export const handler = async (input: NotifyCmocInput): Promise<{ notified: string }> => {
  logContext({ incidentId: input.incidentId, kind: input.kind });
  const incident = await getIncident(input.incidentId);
  const roster = await loadRoster({ tableName: tableName(), dynamodb });
  const round = input.round === undefined ? undefined : await getRound(input.incidentId, input.round);
  const log = input.round === undefined ? [] : await logOf(input.incidentId, input.round);
  const text = cmocNotice(input, { incident, roster, round, log });
  const cmoc = personById(roster, incident.cmocId);
  const web = await slack();
  await web.chat.postMessage({ channel: await dmChannel(web, cmoc.slackUserId), text, unfurl_links: false });
  return { notified: cmoc.id };
};
