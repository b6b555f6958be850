import { refreshIncidentChannel } from '../../../services/incident-channel.ts';
import type { Context } from 'aws-lambda';
import { policyFor } from '../../../domain/index.ts';
import { getIncident } from '../../../adapters/incidents.ts';
import { incidentNow } from '../../../domain/records/incident.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { logOf } from '../../../adapters/notification-log.ts';
import { getOwnerDrafts, getRound, ownerEditOf } from '../../../adapters/rounds.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { slackForDelivery } from '../../../adapters/slack.ts';
import { closeAsks } from '../../../services/asks.ts';
import { noteFirstNotice } from '../../../services/first-notice.ts';
import { draftFor } from '../../../domain/draft-for.ts';
import { accountById, personById } from '../../../domain/roster.ts';
import { deadlineFor, DeliveryIncomplete } from '../../../services/delivery/deadline.ts';
import { defaultDeliveryOptions, deliverExactlyOnce } from '../../../services/delivery/exactly-once.ts';
import { routeFor } from '../../../domain/routing.ts';
import type { DeliverUpdateInput, DeliverUpdateOutput } from '../../../contract/payloads.ts';
import { isOutOfDate } from '../../../domain/out-of-date.ts';
import { jobsForAccount, lazySms, threadRoots } from './targets.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';
import { refreshHomes } from '../../../services/app-home.ts';

/**
 * Sends an approved update to one owner's accounts: every recipient the severity policy routes to, each
 * exactly once however often this step runs (see services/delivery/exactly-once.ts). Permanent failures are
 * recorded with their reason (the CMOC's round summary lists them); recipients still pending when time
 * runs out fail the step with DeliveryIncomplete, so the workflow's retry picks up exactly those.
 */
export const handler = lambdaHandler(
  async (
    input: DeliverUpdateInput,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<DeliverUpdateOutput> => {
    logContext({ incidentId: input.incidentId, round: input.round, ownerId: input.ownerId });
    const deadline = deadlineFor(context);
    const incident = await getIncident(input.incidentId);
    const round = await getRound(input.incidentId, input.round);
    if (!round) throw new Error(`Round ${input.round} of incident ${input.incidentId} does not exist`);
    // An update the resolution overtook reaches no customer by any path (owner, backup, CMOC, company): the
    // resolution round tells them instead. Recording what an owner sent by hand stays true whenever it comes.
    if (input.mode === 'send' && isOutOfDate(incident, round)) {
      logger.info('update left unsent: the incident resolved while it waited for a sender', {
        asCompany: input.asCompany === true,
      });
      const resolvedAt = incident.resolvedAt ?? incidentNow(incident, Date.now()).toISOString();
      await closeAsks(input, { kind: 'resolved', resolvedAt });
      return { sent: 0, alreadySent: 0, failed: 0, outOfDate: true };
    }
    const roster = await currentRoster();
    const sender = personById(roster, input.senderId);
    const drafts = await getOwnerDrafts(input.incidentId, input.round, input.ownerId);
    // The stored drafts go out as they are when the sender wrote them: the owner's own (drafted under their
    // name), or an edit the sender made (a backup's edit is drafted under the backup's name).
    const sendsStored =
      sender.id === input.ownerId ||
      (await ownerEditOf(input.incidentId, input.round, input.ownerId))?.by === sender.id;
    const policy = policyFor(incident.severity, roster.policy);
    const threads = threadRoots(await logOf(input.incidentId), input.round);
    const web = await slackForDelivery();
    const sms = lazySms();

    const jobs = drafts.flatMap((stored) => {
      const account = accountById(roster, stored.accountId);
      // Otherwise whoever actually sends signs: the update is drafted again under their name.
      const draft = sendsStored ? stored : draftFor(roster, incident, round.phase, account, sender);
      const route = routeFor(account, policy);
      if (route.fallback)
        logger.info('no policy channel reaches the account; using another', { accountId: account.id });
      return jobsForAccount({
        web,
        sms,
        account,
        draft,
        sender,
        company: roster.company.name,
        asCompany: input.asCompany === true,
        ref: { incidentId: input.incidentId, round: input.round },
        targets: route.targets,
        threadTs: account.slackChannelId ? threads.get(account.slackChannelId) : undefined,
      });
    });

    const report = await deliverExactlyOnce(jobs, defaultDeliveryOptions({ mode: input.mode, deadline }));
    const { sent, alreadySent, recorded, failed, pending } = report;
    logger.info('round delivered', { sent, alreadySent, recorded, failed, pending, recipients: jobs.length });
    // Before a retry for the pending ones: whoever was told has been told.
    await noteFirstNotice(incident, report.firstToldAt);
    if (pending > 0) throw new DeliveryIncomplete(report);
    // Any ask of this owner's round still showing buttons (the owner's, when the backup or the company sent
    // it) now says who did.
    await closeAsks(
      input,
      input.asCompany === true
        ? { kind: 'company', cmoc: sender }
        : { kind: 'sent', sender, byHand: input.mode === 'record_only' },
    );
    // The accounts now show as told on the Home of whoever has it open.
    await refreshHomes(input.incidentId);
    // And on the incident channel's pinned status, when there is one.
    await refreshIncidentChannel(input.incidentId);
    return { sent: sent + recorded, alreadySent, failed, outOfDate: false };
  },
);
