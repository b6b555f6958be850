import { affectedAccounts, checkTone, ownersOf, policyFor } from '../core/index.ts';
import { dynamodb } from '../adapters/dynamodb.ts';
import { tableName } from '../adapters/env.ts';
import { getIncident, nextRoundNumber } from '../adapters/incidents.ts';
import { logContext, logger } from '../adapters/logger.ts';
import { findRoundByKey, saveRound, type AccountDraft, type RoundRecord } from '../adapters/rounds.ts';
import { loadRoster } from '../adapters/roster-store.ts';
import { draftFor, personById } from '../drafting/render.ts';
import type { DraftUpdateInput, DraftUpdateOutput } from '../payloads.ts';

/**
 * Drafts one update round: for every affected account, the handbook template for this phase, signed by
 * the account's owner. The texts stay in the table; the workflow gets only round number and owner ids.
 */
export const handler = async (input: DraftUpdateInput): Promise<DraftUpdateOutput> => {
  logContext({ incidentId: input.incidentId });
  const incident = await getIncident(input.incidentId);
  const ownerTimeoutSeconds = policyFor(incident.severity).ownerTimeoutMinutes * 60;
  const existing = await findRoundByKey(input.incidentId, input.roundKey);
  if (existing) return output(existing, ownerTimeoutSeconds);

  const roster = await loadRoster({ tableName: tableName(), dynamodb });
  const accounts = affectedAccounts(roster, { services: incident.services, regions: incident.regions });
  const byOwner = ownersOf(accounts);
  const drafts = new Map<string, AccountDraft[]>();
  let findings = 0;
  for (const [ownerId, owned] of byOwner) {
    const owner = personById(roster, ownerId);
    const list = owned.map((account) => draftFor(roster, incident, input.phase, account, owner));
    for (const draft of list) findings += checkTone(draft.slack.text, { severity: incident.severity }).length;
    drafts.set(ownerId, list);
  }
  const draftedAt = new Date().toISOString();
  const round: RoundRecord = {
    incidentId: incident.incidentId,
    round: await nextRoundNumber(incident.incidentId, draftedAt),
    phase: input.phase,
    roundKey: input.roundKey,
    draftedAt,
    owners: [...byOwner.keys()],
    accountIds: accounts.map((a) => a.id),
  };
  await saveRound(round, drafts);
  logger.info('round drafted', {
    round: round.round,
    phase: round.phase,
    accounts: round.accountIds.length,
    owners: round.owners.length,
    toneFindings: findings,
  });
  return output(round, ownerTimeoutSeconds);
};

function output(round: RoundRecord, ownerTimeoutSeconds: number): DraftUpdateOutput {
  return { incidentId: round.incidentId, round: round.round, owners: round.owners, ownerTimeoutSeconds };
}
