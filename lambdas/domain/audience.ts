import { affectedAccounts, isAvailable, REGIONS } from './index.ts';
import type { Account, Roster } from './roster.ts';
import type { AudienceFilter, BroadcastTarget } from './records/broadcast.ts';
import { incidentNow, type IncidentRecord } from './records/incident.ts';
import type { SeverityPolicy } from './severity.ts';
import type { Phase } from '../contract/payloads.ts';

export interface Audience {
  /** Accounts in the audience with a Slack channel, one target each, in roster order. */
  targets: BroadcastTarget[];
  /** Accounts in the audience a Slack broadcast cannot reach (no channel): the CMOC is told. */
  withoutSlack: string[];
}

const norm = (s: string) => s.trim().toLowerCase();
const OWNER_REGIONS = new Set<string>(REGIONS);

/** Whether a Slack broadcast reaches the account: it has a customer channel. */
export const broadcastReaches = <A extends Pick<Account, 'slackChannelId'>>(
  account: A,
): account is A & { slackChannelId: string } => Boolean(account.slackChannelId);

/**
 * Whether this round opens with a company broadcast (a level's `broadcastAtStart`, first update only):
 * the live draft step and the dry-run both ask here.
 */
export const opensWithBroadcast = (policy: Pick<SeverityPolicy, 'broadcastAtStart'>, phase: Phase): boolean =>
  phase === 'initial' && policy.broadcastAtStart;

/**
 * Who a company broadcast goes to (handbook: "select all channels not owned by specific people, e.g.
 * those who are currently online and communicating 1:1 with customers"). Every condition given must hold;
 * an empty filter is every customer. `affected` is the incident's accounts when the filter names one.
 */
export function audienceOf(
  roster: Roster,
  filter: AudienceFilter,
  context: { at: Date; affected?: readonly Account[] },
): Audience {
  const affected = filter.incidentId ? new Set((context.affected ?? []).map((a) => a.id)) : undefined;
  const excluded = new Set(filter.excludeOwners ?? []);
  const tiers = filter.tiers ? new Set<string>(filter.tiers) : undefined;
  const services = filter.services ? new Set(filter.services.map(norm)) : undefined;
  const regions = filter.regions?.map(norm);
  const people = new Map(roster.people.map((p) => [p.id, p]));

  const inAudience = (account: Account): boolean => {
    if (affected && !affected.has(account.id)) return false;
    if (excluded.has(account.ownerId)) return false;
    if (tiers && !tiers.has(account.tier)) return false;
    if (services && !account.services.some((s) => services.has(norm(s)))) return false;
    const owner = people.get(account.ownerId);
    if (regions) {
      const matches = regions.some((region) =>
        OWNER_REGIONS.has(region)
          ? owner?.region === region
          : account.regions.length === 0 || account.regions.some((r) => norm(r) === region),
      );
      if (!matches) return false;
    }
    if (filter.owners) {
      const online = owner ? isAvailable(owner, context.at, roster).available : false;
      if (online !== (filter.owners === 'online')) return false;
    }
    return true;
  };

  const chosen = roster.accounts.filter(inAudience);
  return {
    targets: chosen.filter(broadcastReaches).map((a) => ({ accountId: a.id, channelId: a.slackChannelId })),
    withoutSlack: chosen.filter((a) => !broadcastReaches(a)).map((a) => a.id),
  };
}

/** Splits targets into batches: each batch is one Lambda run, each posting its channels concurrently. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new Error(`batch size must be at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The audience as the broadcast will see it: for an incident, its affected accounts and its clock. */
export function audienceWithIncident(
  roster: Roster,
  filter: AudienceFilter,
  incident: Pick<IncidentRecord, 'services' | 'regions' | 'clock'> | undefined,
  wallNow: number,
): Audience {
  return audienceOf(roster, filter, {
    at: incident ? incidentNow(incident, wallNow) : new Date(wallNow),
    ...(incident
      ? { affected: affectedAccounts(roster, { services: incident.services, regions: incident.regions }) }
      : {}),
  });
}
