import {
  affectedAccounts,
  checkTone,
  ownersOf,
  policyFor,
  type PolicyConfig,
} from '../../../domain/index.ts';
import type { Account } from '../../../domain/roster.ts';
import { getIncident, nextRoundNumber } from '../../../adapters/incidents.ts';
import { incidentNow } from '../../../domain/records/incident.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { logContext, logger } from '../../../adapters/logger.ts';
import { findRoundByKey, saveRound } from '../../../adapters/rounds.ts';
import type { AccountDraft, RoundRecord } from '../../../domain/records/round.ts';
import { inBatches, opensWithBroadcast } from '../../../domain/audience.ts';
import { draftFor } from '../../../domain/draft-for.ts';
import { personById } from '../../../domain/roster.ts';
import type { DraftUpdateInput, DraftUpdateOutput } from '../../../contract/payloads.ts';
import { scheduleFacts } from '../../../services/schedule-facts.ts';
import { headsUpPending, type ScheduleFacts } from '../../../domain/schedule.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';
import { broadcastAtStart } from '../../../services/broadcast-at-start.ts';
import { promisedMinutes } from '../../../domain/retrospective-rules.ts';

/** An inline Map runs at most 40 iterations at once; more owners than that would wait for a free slot. */
export const OWNER_GROUP_SIZE = 40;

/**
 * Drafts one update round: for every account this round is for, the handbook template for the phase,
 * signed by the account's owner. The texts stay in the table; the workflow gets the round number, owner
 * ids in groups, and the policy numbers the round's steps need.
 */
export const handler = lambdaHandler(async (input: DraftUpdateInput): Promise<DraftUpdateOutput> => {
  logContext({ incidentId: input.incidentId, phase: input.phase });
  const incident = await getIncident(input.incidentId);
  const roundKey = input.started.roundKey ?? input.executionName;
  const existing = await findRoundByKey(input.incidentId, roundKey);
  // A retried draft returns the round already saved, with the policy numbers as they are now.
  if (existing) return output(existing, input, incident, (await currentRoster()).policy);

  const facts = await scheduleFacts(incident);
  // A level that opens with a company broadcast leaves the owners only the accounts it cannot reach.
  const opening = opensWithBroadcast(policyFor(incident.severity, facts.roster.policy), input.phase)
    ? await broadcastAtStart(facts.roster, incident, roundKey)
    : undefined;
  const accounts = accountsFor(input.phase, facts).filter((a) => !opening?.reached.has(a.id));
  const byOwner = ownersOf(accounts);
  const drafts = new Map<string, AccountDraft[]>();
  let findings = 0;
  for (const [ownerId, owned] of byOwner) {
    const owner = personById(facts.roster, ownerId);
    const list = owned.map((account) => draftFor(facts.roster, incident, input.phase, account, owner));
    const tone = { severity: incident.severity, policy: facts.roster.policy };
    for (const draft of list) findings += checkTone(draft.slack.text, tone).length;
    drafts.set(ownerId, list);
  }
  const draftedAt = incidentNow(incident, Date.now()).toISOString();
  const round: RoundRecord = {
    incidentId: incident.incidentId,
    round: await nextRoundNumber(incident.incidentId, draftedAt),
    phase: input.phase,
    roundKey,
    draftedAt,
    owners: [...byOwner.keys()],
    accountIds: accounts.map((a) => a.id),
    ...(opening ? { broadcastId: opening.broadcastId } : {}),
    promisedMinutes: promisedMinutes(incident, facts.roster)(input.phase) ?? null,
  };
  await saveRound(round, drafts);
  logger.info('round drafted', {
    round: round.round,
    accounts: round.accountIds.length,
    owners: round.owners.length,
    toneFindings: findings,
    ...(opening ? { broadcastId: opening.broadcastId, broadcastAccounts: opening.reached.size } : {}),
  });
  return output(round, input, incident, facts.roster.policy);
});

/**
 * Who a round is for. Updates and the write-up go to every affected account; a maintenance heads-up to
 * the accounts whose own heads-up time has come; the completion to those who had the heads-up (or all,
 * when the window was announced too late for one).
 */
function accountsFor(phase: DraftUpdateInput['phase'], facts: ScheduleFacts): Account[] {
  const { incident, roster } = facts;
  const affected = affectedAccounts(roster, {
    services: incident.services,
    regions: incident.maintenance?.regions ?? incident.regions,
  });
  if (phase === 'maintenance-heads-up') {
    const now = facts.now.getTime();
    const windowStarted = incident.maintenance !== undefined && Date.parse(incident.maintenance.start) <= now;
    const due = headsUpPending(facts).filter((p) => windowStarted || p.at <= now);
    const ids = new Set(due.map((p) => p.account.id));
    return affected.filter((a) => ids.has(a.id));
  }
  if (phase === 'maintenance-complete' && facts.headsUpSent && facts.headsUpSent.size > 0) {
    return affected.filter((a) => facts.headsUpSent?.has(a.id));
  }
  return affected;
}

function output(
  round: RoundRecord,
  input: DraftUpdateInput,
  incident: Awaited<ReturnType<typeof getIncident>>,
  config: PolicyConfig | undefined,
): DraftUpdateOutput {
  const policy = policyFor(incident.severity, config);
  return {
    incidentId: round.incidentId,
    round: round.round,
    phase: round.phase,
    owners: round.owners,
    ownerGroups: inBatches(round.owners, OWNER_GROUP_SIZE),
    ownerTimeoutSeconds: policy.ownerTimeoutMinutes * 60,
    backupTimeoutSeconds: policy.backupTimeoutMinutes * 60,
    // The first update needs no review: the CMOC either confirmed customer impact or let the hold run out.
    review: policy.cmocReview && round.phase !== 'initial' && round.owners.length > 0,
    reviewSeconds: Math.max(60, policy.autoStartAfterMinutes * 60),
    companySend: policy.broadcastAllowed,
    cmocId: incident.cmocId,
    stage: input.stage,
  };
}
