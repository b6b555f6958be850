import { channelsFor, type SeverityPolicy } from './index.ts';
import type { Account } from './roster.ts';
import type { LogChannel } from './records/notification.ts';

/** One recipient of one update: a Slack channel, an email address or a phone number. */
export interface Target {
  channel: LogChannel;
  recipient: string;
}

export interface Route {
  targets: Target[];
  /** None of the severity's channels reaches the account; another one is used so it still hears from us. */
  fallback: boolean;
}

/**
 * Who receives an update, from configuration: the severity policy's channels and mode (SEV1 every listed
 * channel, the others the first the account has) applied to what the roster says the account has (SMS
 * only for high-touch accounts). Every email contact and every SMS number is its own recipient: one
 * message per person, one log line per person.
 */
export function routeFor(account: Account, policy: Pick<SeverityPolicy, 'channels' | 'channelMode'>): Route {
  const choice = channelsFor(account, policy);
  const targets = choice.channels.flatMap((channel): Target[] => {
    if (channel === 'slack')
      return account.slackChannelId ? [{ channel, recipient: account.slackChannelId }] : [];
    if (channel === 'email') return account.emails.map((recipient) => ({ channel, recipient }));
    return account.smsNumbers.map((recipient) => ({ channel, recipient }));
  });
  return { targets, fallback: choice.fallback };
}
