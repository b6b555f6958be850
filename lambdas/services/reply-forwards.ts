import { replyMessage, type ReplyNotice } from '../messages/customer-reply.ts';
import type { SlackMessage } from '../messages/slack-message.ts';
import { classifySlack } from './delivery/failures.ts';

/** One forward of a reply: to whom (an id), as they are named to a person, and how it is posted once. */
export interface Forward {
  to: string;
  label: string;
  audience: ReplyNotice['audience'];
  post(message: SlackMessage): Promise<unknown>;
}

export interface ForwardOutcome {
  delivered: string[];
  /** Forwards Slack refused for good, with its reason. */
  refused: { forward: Forward; reason: string }[];
  /** The first failure that may pass (Slack down, a timeout): the caller retries. */
  retry: Error | undefined;
}

/**
 * Tries every forward, each whatever happens to the others: one person who left Slack must not keep the
 * reply from the engagement channel. Slack's failures are read as a delivery reads them
 * (delivery/failures.ts): a refusal is final, anything else may pass on a retry.
 */
export async function forwardAll(
  forwards: readonly Forward[],
  notice: Omit<ReplyNotice, 'audience'>,
): Promise<ForwardOutcome> {
  const outcome: ForwardOutcome = { delivered: [], refused: [], retry: undefined };
  for (const forward of forwards) {
    try {
      await forward.post(replyMessage({ ...notice, audience: forward.audience }));
      outcome.delivered.push(forward.to);
    } catch (error) {
      const failure = classifySlack(error);
      if (failure.kind === 'permanent') outcome.refused.push({ forward, reason: failure.reason });
      else outcome.retry ??= error instanceof Error ? error : new Error(String(error));
    }
  }
  return outcome;
}
