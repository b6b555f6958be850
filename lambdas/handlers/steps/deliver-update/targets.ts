import type { WebClient } from '@slack/web-api';
import type { Account, Person } from '../../../domain/roster.ts';
import type { NewLogEntry } from '../../../adapters/notification-log.ts';
import type { LogEntry } from '../../../domain/records/notification.ts';
import type { AccountDraft } from '../../../domain/records/round.ts';
import { smsSenderFromConfig, type SmsSender } from '../../../adapters/sms.ts';
import type { DeliveryJob } from '../../../services/delivery/exactly-once.ts';
import { emailJob, slackJob, smsJob } from '../../../services/delivery/jobs.ts';
import type { Target } from '../../../domain/routing.ts';

/**
 * Later updates of one incident thread under its first message in each channel: channel → that
 * message's ts, from the log of earlier rounds.
 */
export function threadRoots(log: readonly LogEntry[], round: number): Map<string, string> {
  const roots = new Map<string, string>();
  const posted = log
    .filter((e) => e.channel === 'slack' && e.status === 'sent' && e.providerId && e.round < round)
    .sort((a, b) => a.round - b.round);
  for (const entry of posted) if (!roots.has(entry.recipient)) roots.set(entry.recipient, entry.providerId!);
  return roots;
}

/** Twilio is configured only where SMS is used: the sender is made on first use. */
export function lazySms(): SmsSender {
  let sender: Promise<SmsSender> | undefined;
  const get = () => (sender ??= smsSenderFromConfig());
  return {
    send: async (message) => (await get()).send(message),
    findSent: async (query) => (await get()).findSent(query),
  };
}

export interface AccountDelivery {
  web: WebClient;
  sms: SmsSender;
  account: Account;
  draft: AccountDraft;
  sender: Person;
  company: string;
  asCompany: boolean;
  ref: { incidentId: string; round: number };
  targets: readonly Target[];
  threadTs: string | undefined;
}

/** One job per recipient of one account, each with the text for its channel. */
export function jobsForAccount(d: AccountDelivery): DeliveryJob[] {
  const { account, draft, sender, ref } = d;
  return d.targets.flatMap((target): DeliveryJob[] => {
    const entry: NewLogEntry = {
      ...ref,
      accountId: account.id,
      channel: target.channel,
      recipient: target.recipient,
      senderId: sender.id,
      ...(d.asCompany ? { asCompany: true } : {}),
    };
    switch (target.channel) {
      case 'slack':
        return [
          slackJob(d.web, entry, {
            channel: target.recipient,
            text: draft.slack.text,
            ...(draft.slack.blocks ? { blocks: draft.slack.blocks } : {}),
            ...(d.threadTs ? { threadTs: d.threadTs } : {}),
            username: d.asCompany ? d.company : sender.name,
            ...(!d.asCompany && sender.avatarUrl ? { iconUrl: sender.avatarUrl } : {}),
            tag: { kind: 'update', ...ref, accountId: account.id },
          }),
        ];
      case 'email':
        return [
          emailJob(entry, {
            to: target.recipient,
            fromName: d.asCompany ? d.company : `${sender.name} (${d.company})`,
            replyTo: sender.email,
            subject: draft.email.subject,
            text: draft.email.text,
            ...(draft.email.html ? { html: draft.email.html } : {}),
            tags: { incident: ref.incidentId, account: account.id, round: String(ref.round) },
          }),
        ];
      case 'sms':
        // The draft has an SMS text whenever the account has numbers (domain/draft-for.ts).
        return draft.sms ? [smsJob(d.sms, entry, { to: target.recipient, body: draft.sms.text })] : [];
    }
  });
}
