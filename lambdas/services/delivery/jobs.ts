import type { WebClient } from '@slack/web-api';
import type { NewLogEntry } from '../../adapters/notification-log.ts';
import { logger } from '../../adapters/logger.ts';
import { rememberSms } from '../../adapters/sms-receipts.ts';
import type { SmsSender } from '../../adapters/sms.ts';
import { sendEmail, type EmailMessage } from './email.ts';
import type { DeliveryJob } from './exactly-once.ts';
import { classifySes, classifySlack, classifySms } from './failures.ts';
import { findPost, postToCustomer, type CustomerPost } from './slack-post.ts';

/** One Slack post: paced per channel, recognised afterwards by its message metadata. */
export function slackJob(web: WebClient, entry: NewLogEntry, post: CustomerPost): DeliveryJob {
  return {
    entry,
    paceKey: `slack:${post.channel}`,
    provider: 'Slack',
    send: () => postToCustomer(web, post),
    check: async (since) => {
      const ts = await findPost(web, post.channel, post.tag, {
        since,
        ...(post.threadTs ? { threadTs: post.threadTs } : {}),
      });
      return ts ? { found: ts } : 'not_found';
    },
    classify: classifySlack,
  };
}

/**
 * One email: SES keeps no list of what it sent, so an interrupted send cannot be looked up; the attempt
 * marks the item just before the call, so only a crash during the call itself is left unconfirmed.
 */
export function emailJob(entry: NewLogEntry, message: EmailMessage): DeliveryJob {
  return {
    entry,
    provider: 'SES',
    send: () => sendEmail(message),
    check: async () => 'cannot_tell',
    marksSending: true,
    classify: classifySes,
  };
}

/**
 * One SMS: Twilio lists what was sent to a number, so an interrupted send is found by its body. Each SID
 * is remembered against its log item before the outcome is recorded, so Twilio's delivery receipts (which
 * can beat the record) find the item.
 */
export function smsJob(
  sms: SmsSender,
  entry: NewLogEntry,
  message: { to: string; body: string },
): DeliveryJob {
  return {
    entry,
    provider: 'Twilio',
    send: async () => {
      const { providerId } = await sms.send(message);
      await remember(providerId, entry);
      return providerId;
    },
    check: async (since) => {
      const sid = await sms.findSent({ ...message, since });
      if (sid) await remember(sid, entry);
      return sid ? { found: sid } : 'not_found';
    },
    classify: classifySms,
  };
}

/**
 * Never fails the send: the SMS is out, and an error here would read as a failed send and be retried. A
 * lost pointer costs only that message's receipts.
 */
async function remember(sid: string, entry: NewLogEntry): Promise<void> {
  try {
    await rememberSms(sid, entry);
  } catch (error) {
    logger.warn('SMS sent, but its receipts will not be recorded', { accountId: entry.accountId, error });
  }
}
