import type { WebClient } from '@slack/web-api';
import { affectedAccounts, ownersOf } from '../domain/index.ts';
import { policyFor } from '../domain/ladder.ts';
import { incidentChannelPolicy, type PolicyConfig } from '../domain/policy.ts';
import type { IncidentChannel, IncidentRecord } from '../domain/records/incident.ts';
import type { Roster } from '../domain/roster.ts';
import { toldByLatestRound } from '../domain/told.ts';
import { getIncident, updateIncident } from '../adapters/incidents.ts';
import { bindChannel } from '../adapters/incident-ids.ts';
import { logger } from '../adapters/logger.ts';
import { logOf } from '../adapters/notification-log.ts';
import { listRounds } from '../adapters/rounds.ts';
import { currentRoster } from '../adapters/roster.ts';
import { slack } from '../adapters/slack.ts';
import { slackErrorCode } from '../adapters/slack-errors.ts';
import { findPost, metadataOf } from './delivery/slack-post.ts';
import { channelStatus, channelSummary, incidentChannelName } from '../messages/incident-channel.ts';

/**
 * The incident channel (README "Incident channel"): made or adopted when the CMOC is first told, kept
 * current in one pinned message, archived on close. Each step is recorded on the incident before the next,
 * so a retried step adopts what an earlier try made. A Slack failure here never stops customer comms:
 * every entry point logs and returns.
 */

/** A SEV1's channel stays open until its write-up is published (the write-up round closes it). */
export const writeUpOwed = (incident: IncidentRecord, policy: PolicyConfig | undefined): boolean =>
  policyFor(incident.severity, policy).postmortemHours !== null && incident.writeUpUrl === undefined;

export async function openIncidentChannel(incidentId: string): Promise<void> {
  try {
    const [incident, roster] = await Promise.all([getIncident(incidentId), currentRoster()]);
    const setting = incidentChannelPolicy(roster.policy);
    const before = incident.incidentChannel;
    // Archived: this is a reopening, which gets a channel of its own (Slack lets no bot unarchive one).
    const current = before?.archived ? undefined : before;
    if (!setting.enabled || current?.pinned) return;
    const web = await slack();
    const channel = current ?? (await createOrAdopt(web, setting.prefix, incident, before));
    await bindChannel(channel.id, incidentId, new Date());
    await invite(web, channel.id, people(incident, roster));
    // Each post is recorded once made; a try that died between posting and recording finds its post by
    // its metadata instead of posting it again. The status is recorded before it is pinned.
    const postOnce = async (part: 'summary' | 'status', text: () => Promise<string> | string) => {
      const tag = { kind: 'channel', incidentId, part } as const;
      const found = await findPost(web, channel.id, tag, { since: incident.startedAt });
      if (found) return found;
      const posted = await web.chat.postMessage({
        channel: channel.id,
        text: await text(),
        metadata: metadataOf(tag),
      });
      return posted.ts ?? '';
    };
    if (!channel.summaryTs) {
      channel.summaryTs = await postOnce('summary', () =>
        channelSummary({ ...incident, incidentChannel: channel }, roster, false),
      );
      await updateIncident(incidentId, { incidentChannel: channel });
    }
    if (!channel.pinTs) {
      channel.pinTs = await postOnce('status', () => statusText(incident, roster));
      await updateIncident(incidentId, { incidentChannel: channel });
    }
    await pin(web, channel.id, channel.pinTs);
    await updateIncident(incidentId, { incidentChannel: { ...channel, pinned: true } });
  } catch (error) {
    logger.warn('could not set up the incident channel', { error, incidentId });
  }
}

/** The pinned message, edited in place with where the incident stands now. */
export async function refreshIncidentChannel(incidentId: string): Promise<void> {
  try {
    const incident = await getIncident(incidentId);
    const channel = incident.incidentChannel;
    if (!channel?.pinTs || channel.archived) return;
    const roster = await currentRoster();
    const web = await slack();
    await web.chat.update({
      channel: channel.id,
      ts: channel.pinTs,
      text: await statusText(incident, roster),
    });
  } catch (error) {
    logger.warn('could not refresh the incident channel', { error, incidentId });
  }
}

/** The closing summary, then the archive (handbook: "CMOC archives thread"). Once: recorded as archived. */
export async function closeIncidentChannel(incidentId: string): Promise<void> {
  try {
    const incident = await getIncident(incidentId);
    const channel = incident.incidentChannel;
    if (!channel || channel.archived) return;
    await refreshIncidentChannel(incidentId);
    const roster = await currentRoster();
    const web = await slack();
    await web.chat.postMessage({ channel: channel.id, text: channelSummary(incident, roster, true) });
    try {
      await web.conversations.archive({ channel: channel.id });
    } catch (error) {
      if (slackErrorCode(error) !== 'already_archived') throw error;
    }
    await updateIncident(incidentId, { incidentChannel: { ...channel, archived: true } });
  } catch (error) {
    logger.warn('could not close the incident channel', { error, incidentId });
  }
}

async function createOrAdopt(
  web: WebClient,
  prefix: string,
  incident: IncidentRecord,
  archived: IncidentChannel | undefined,
): Promise<IncidentChannel> {
  const name = incidentChannelName(prefix, incident);
  let id: string | undefined;
  try {
    id = (await web.conversations.create({ name })).channel?.id;
  } catch (error) {
    if (slackErrorCode(error) !== 'name_taken') throw error;
    id = await findByName(web, name);
  }
  if (!id) throw new Error(`Slack gave no channel for #${name}`);
  const channel: IncidentChannel = {
    id,
    name,
    ...(archived ? { previous: { id: archived.id, name: archived.name } } : {}),
  };
  await updateIncident(incident.incidentId, { incidentChannel: channel });
  return channel;
}

async function findByName(web: WebClient, name: string): Promise<string | undefined> {
  let cursor: string | undefined;
  do {
    const page = await web.conversations.list({
      limit: 1000,
      exclude_archived: true,
      ...(cursor ? { cursor } : {}),
    });
    const hit = page.channels?.find((c) => c.name === name);
    if (hit?.id) return hit.id;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return undefined;
}

/** The CMOC, the engineering lead when named, and the owners of the affected accounts, as Slack ids. */
function people(incident: IncidentRecord, roster: Roster): string[] {
  const accounts = affectedAccounts(roster, { services: incident.services, regions: incident.regions });
  const ids = new Set([
    incident.cmocId,
    ...(incident.leadId ? [incident.leadId] : []),
    ...ownersOf(accounts).keys(),
  ]);
  return roster.people.filter((p) => ids.has(p.id)).map((p) => p.slackUserId);
}

/** Forced: those already in (a retry, an adopted channel) are skipped, the others still invited. */
async function invite(web: WebClient, channel: string, users: string[]): Promise<void> {
  if (users.length === 0) return;
  try {
    await web.conversations.invite({ channel, users: users.join(','), force: true });
  } catch (error) {
    if (slackErrorCode(error) !== 'already_in_channel') throw error;
  }
}

async function pin(web: WebClient, channel: string, ts: string): Promise<void> {
  try {
    await web.pins.add({ channel, timestamp: ts });
  } catch (error) {
    if (slackErrorCode(error) !== 'already_pinned') throw error;
  }
}

/** Per account, who has been told: the one rule (domain/told.ts), each account in its latest round. */
async function statusText(incident: IncidentRecord, roster: Roster): Promise<string> {
  const [rounds, log] = await Promise.all([listRounds(incident.incidentId), logOf(incident.incidentId)]);
  const told = toldByLatestRound(rounds, log);
  return channelStatus(incident, roster, told, roster.policy);
}
