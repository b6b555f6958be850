import type { WebClient } from '@slack/web-api';
import type { NewLogEntry } from '../adapters/notification-log.ts';
import type { SmsSender } from '../adapters/sms.ts';
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

/** One email: SES keeps no list of what it sent, so an interrupted send cannot be looked up. */
export function emailJob(entry: NewLogEntry, message: EmailMessage): DeliveryJob {
  return {
    entry,
    provider: 'SES',
    send: () => sendEmail(message),
    check: async () => 'cannot_tell',
    classify: classifySes,
  };
}

/** One SMS: Twilio lists what was sent to a number, so an interrupted send is found by its body. */
export function smsJob(
  sms: SmsSender,
  entry: NewLogEntry,
  message: { to: string; body: string },
): DeliveryJob {
  return {
    entry,
    provider: 'Twilio',
    send: async () => (await sms.send(message)).providerId,
    check: async (since) => {
      const sid = await sms.findSent({ ...message, since });
      return sid ? { found: sid } : 'not_found';
    },
    classify: classifySms,
  };
}
