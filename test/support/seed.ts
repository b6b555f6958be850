import { affectedAccounts, ownersOf } from '../../lambdas/domain/index.ts';
import type { Account, Roster } from '../../lambdas/domain/roster.ts';
import type { IncidentRecord } from '../../lambdas/domain/records/incident.ts';
import type { AccountDraft } from '../../lambdas/domain/records/round.ts';
import type { Phase, Severity } from '../../lambdas/contract/payloads.ts';

/**
 * An incident and one drafted round in the table, as the workflow's draft step leaves them, so a test can
 * run the delivery step on its own. Adapters are imported late: the environment must point at the world
 * first.
 */
export async function seedRound(
  roster: Roster,
  options: { incidentId: string; severity: Severity; services: string[]; round: number; phase?: Phase },
): Promise<{ incident: IncidentRecord; accounts: Account[]; owners: Map<string, Account[]> }> {
  const { createIncident } = await import('../../lambdas/adapters/incidents.ts');
  const { saveRound } = await import('../../lambdas/adapters/rounds.ts');
  const { draftFor } = await import('../../lambdas/domain/draft-for.ts');
  const { personById } = await import('../../lambdas/domain/roster.ts');
  const incident: IncidentRecord = {
    incidentId: options.incidentId,
    title: 'Event ingestion is delayed',
    severity: options.severity,
    status: 'triggered',
    services: options.services,
    regions: [],
    source: 'slack',
    startedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    cmocId: 'ines',
    executionName: `incident-${options.incidentId}`,
    rounds: options.round,
  };
  await createIncident(incident);
  const accounts = affectedAccounts(roster, { services: options.services });
  const owners = ownersOf(accounts);
  const phase = options.phase ?? (options.round === 1 ? 'initial' : 'update');
  const drafts = new Map<string, AccountDraft[]>();
  for (const [ownerId, owned] of owners) {
    const owner = personById(roster, ownerId);
    drafts.set(
      ownerId,
      owned.map((account) => draftFor(roster, incident, phase, account, owner)),
    );
  }
  await saveRound(
    {
      incidentId: incident.incidentId,
      round: options.round,
      phase,
      roundKey: `${incident.incidentId}-round-${options.round}`,
      draftedAt: new Date().toISOString(),
      owners: [...owners.keys()],
      accountIds: accounts.map((a) => a.id),
    },
    drafts,
  );
  return { incident, accounts, owners };
}
