import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamodb } from './dynamodb.ts';
import { tableName } from './env.ts';

/**
 * Who has opened the app's Home tab. Slack keeps a published Home until the app publishes another, so a
 * view is kept current only for people who have looked at it once; everyone else's is published when
 * they first open it (app_home_opened). One small item per person, written again on every opening.
 */
const key = (slackUserId: string) => ({ pk: `APPHOME#${slackUserId}`, sk: 'META' });
/** Forgotten after 90 days without an opening: Home is then published afresh when they open it next. */
const KEEP_SECONDS = 90 * 24 * 3600;
/** BatchGetItem's limit per request. */
const BATCH = 100;

export async function markHomeOpened(slackUserId: string, at: Date): Promise<void> {
  await dynamodb.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...key(slackUserId),
        slackUserId,
        openedAt: at.toISOString(),
        expiresAt: Math.floor(at.getTime() / 1000) + KEEP_SECONDS,
      },
    }),
  );
}

/** Which of these Slack users have opened Home (and not so long ago that the record expired). */
export async function openedHome(slackUserIds: readonly string[], now = new Date()): Promise<string[]> {
  const wanted = [...new Set(slackUserIds)];
  const opened: string[] = [];
  const nowSeconds = Math.floor(now.getTime() / 1000);
  for (let i = 0; i < wanted.length; i += BATCH) {
    let keys: Record<string, unknown>[] = wanted.slice(i, i + BATCH).map(key);
    // Unprocessed keys are asked for again: a throttled batch read must not make a person's Home go stale.
    for (let attempt = 0; keys.length > 0 && attempt < 3; attempt += 1) {
      const out = await dynamodb.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[tableName()] ?? [])
        // dynalite keeps expired items (no TTL sweeper), so an expired record counts as absent.
        if (Number(item.expiresAt) >= nowSeconds) opened.push(String(item.slackUserId));
      keys = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    }
  }
  return opened;
}

/** Replaces the person's Home tab with `view`. */
export async function publishHome(web: WebClient, slackUserId: string, view: HomeView): Promise<void> {
  await web.views.publish({ user_id: slackUserId, view });
}
