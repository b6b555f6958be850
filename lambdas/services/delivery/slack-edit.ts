import type { AnyBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { NewLogEntry } from '../../adapters/notification-log.ts';
import type { DeliveryJob } from './exactly-once.ts';
import { classifySlack } from './failures.ts';

/**
 * One customer post edited in place (chat.update on the ts the log recorded for it). An edit is
 * idempotent at Slack: when an attempt may have reached Slack, the next one edits again to the same text
 * rather than looking it up, so the check answers "not found".
 */
export function slackEditJob(
  web: WebClient,
  entry: NewLogEntry,
  edit: { channel: string; ts: string; text: string; blocks: AnyBlock[] },
): DeliveryJob {
  return {
    entry,
    paceKey: `slack:${edit.channel}`,
    provider: 'Slack',
    send: async () => {
      const out = await web.chat.update({
        channel: edit.channel,
        ts: edit.ts,
        text: edit.text,
        blocks: edit.blocks,
      });
      return out.ts ?? edit.ts;
    },
    check: () => Promise.resolve('not_found'),
    classify: classifySlack,
  };
}
