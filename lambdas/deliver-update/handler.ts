import type { WebClient } from '@slack/web-api';
import type { Account, Person } from '../core/roster.ts';
import { dynamodb } from '../adapters/dynamodb.ts';
import { tableName } from '../adapters/env.ts';
import { getIncident } from '../adapters/incidents.ts';
import { logContext, logger } from '../adapters/logger.ts';
import { claim, complete, logOf, type LogChannel, type LogEntry } from '../adapters/notification-log.ts';
import { getOwnerDrafts, getRound, type AccountDraft } from '../adapters/rounds.ts';
import { loadRoster } from '../adapters/roster-store.ts';
import { slack } from '../adapters/slack.ts';
import { accountById, draftFor, personById } from '../drafting/render.ts';
import type { DeliverUpdateInput, DeliverUpdateOutput } from '../payloads.ts';
import { sendEmail } from './email.ts';
import { findEarlierPost, postAsPerson } from './slack-post.ts';

/** A claim older than this with no outcome is from a crashed attempt, not one still in flight. */
const STALE_CLAIM_MS = 2 * 60_000;

interface Target {
  channel: LogChannel;
  recipient: string;
}

/** Slack Connect channel when the account has one, otherwise every email contact. */
function targetsOf(account: Account): Target[] {
  if (account.slackChannelId) return [{ channel: 'slack', recipient: account.slackChannelId }];
  return account.emails.map((email) => ({ channel: 'email' as const, recipient: email }));
}

export const handler = async (input: DeliverUpdateInput): Promise<DeliverUpdateOutput> => {
  logContext({ incidentId: input.incidentId, round: input.round, ownerId: input.ownerId });
  const incident = await getIncident(input.incidentId);
  const round = await getRound(input.incidentId, input.round);
  if (!round) throw new Error(`Round ${input.round} of incident ${input.incidentId} does not exist`);
  const roster = await loadRoster({ tableName: tableName(), dynamodb });
  const sender = personById(roster, input.senderId);
  const drafts = await getOwnerDrafts(input.incidentId, input.round, input.ownerId);
  const earlier = await logOf(input.incidentId);
  const web = await slack();
  const tally: DeliverUpdateOutput = { sent: 0, alreadySent: 0, failed: 0 };

  for (const stored of drafts) {
    const account = accountById(roster, stored.accountId);
    // Drafts are signed by the owner; whoever actually sends signs instead.
    const draft =
      sender.id === input.ownerId ? stored : draftFor(roster, incident, round.phase, account, sender);
    for (const target of targetsOf(account)) {
      const entry = {
        incidentId: input.incidentId,
        round: input.round,
        accountId: account.id,
        senderId: sender.id,
        ...target,
      };
      const outcome = await deliverOne({
        web,
        entry,
        draft,
        sender,
        company: roster.company.name,
        mode: input.mode,
        earlier,
      });
      tally[outcome] += 1;
    }
  }
  logger.info('round delivered', { ...tally });
  return tally;
};

type Outcome = keyof DeliverUpdateOutput;

async function deliverOne(ctx: {
  web: WebClient;
  entry: Omit<LogEntry, 'status' | 'claimedAt'>;
  draft: AccountDraft;
  sender: Person;
  company: string;
  mode: DeliverUpdateInput['mode'];
  earlier: LogEntry[];
}): Promise<Outcome> {
  const { entry } = ctx;
  const now = new Date().toISOString();
  const claimed = await claim(entry, now);
  const ref = { incidentId: entry.incidentId, round: entry.round, accountId: entry.accountId };
  const threadTs = firstSlackPost(ctx.earlier, entry);
  if (!claimed.claimed) {
    const existing = claimed.existing;
    if (existing.status !== 'claimed') return existing.status === 'failed' ? 'failed' : 'alreadySent';
    if (Date.now() - Date.parse(existing.claimedAt) < STALE_CLAIM_MS) return 'alreadySent';
    // A crashed attempt: find out whether it reached the customer before sending again.
    if (entry.channel === 'slack') {
      const ts = await findEarlierPost(ctx.web, entry.recipient, ref, threadTs);
      if (ts) {
        await complete(entry, { status: 'sent', at: now, providerId: ts });
        return 'alreadySent';
      }
    } else {
      await complete(entry, {
        status: 'failed',
        at: now,
        error: 'outcome unknown after an interrupted send; not resent',
      });
      return 'failed';
    }
  }
  if (ctx.mode === 'record_only') {
    await complete(entry, { status: 'sent_by_owner', at: now });
    return 'sent';
  }
  try {
    const providerId =
      entry.channel === 'slack'
        ? await postAsPerson(ctx.web, {
            channel: entry.recipient,
            sender: ctx.sender,
            text: ctx.draft.slack.text,
            blocks: ctx.draft.slack.blocks,
            threadTs,
            ref,
          })
        : await sendEmail({
            to: entry.recipient,
            sender: ctx.sender,
            company: ctx.company,
            draft: ctx.draft.email,
            tags: ref,
          });
    await complete(entry, { status: 'sent', at: new Date().toISOString(), providerId });
    return 'sent';
  } catch (error) {
    logger.warn('send failed', { accountId: entry.accountId, channel: entry.channel, error });
    await complete(entry, { status: 'failed', at: new Date().toISOString(), error: describe(error) });
    return 'failed';
  }
}

/** Later updates of one incident thread under its first message in that channel. */
function firstSlackPost(log: LogEntry[], entry: Omit<LogEntry, 'status' | 'claimedAt'>): string | undefined {
  if (entry.channel !== 'slack') return undefined;
  const first = log
    .filter(
      (e) =>
        e.accountId === entry.accountId &&
        e.channel === 'slack' &&
        e.status === 'sent' &&
        e.providerId &&
        e.round < entry.round,
    )
    .sort((a, b) => a.round - b.round)[0];
  return first?.providerId;
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'data' in error) {
    const data = (error as { data?: { error?: string } }).data;
    if (data?.error) return `slack: ${data.error}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown error';
}
