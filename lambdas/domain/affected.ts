import type { Account, Roster } from './roster.ts';
import type { Channel, SeverityPolicy } from './severity.ts';

export interface AffectedQuery {
  services: string[];
  /** Product regions hit ("us", "eu"). Absent or empty: every region. */
  regions?: string[];
  /** Added regardless of services (the CMOC's override: "tell them too"). Unknown ids are ignored. */
  accountIds?: string[];
  /** Removed whatever else matched (the CMOC's override: "they already know" / "not them"). */
  excludeAccountIds?: string[];
}

/**
 * The accounts an incident touches: those using any affected service, in an affected region. An account
 * that lists no regions runs everywhere. Names match case-insensitively. Roster order is kept.
 */
export function affectedAccounts(roster: Roster, incident: AffectedQuery): Account[] {
  const services = new Set(incident.services.map(norm));
  const regions = new Set((incident.regions ?? []).map(norm));
  const added = new Set(incident.accountIds ?? []);
  const excluded = new Set(incident.excludeAccountIds ?? []);
  return roster.accounts.filter((account) => {
    if (excluded.has(account.id)) return false;
    if (added.has(account.id)) return true;
    const usesService = account.services.some((s) => services.has(norm(s)));
    const inRegion =
      regions.size === 0 || account.regions.length === 0 || account.regions.some((r) => regions.has(norm(r)));
    return usesService && inRegion;
  });
}

/** The product services a PagerDuty service stands for; [] when it is not in the roster's map. */
export function servicesForPagerDuty(roster: Roster, pagerdutyServiceId: string | undefined): string[] {
  if (!pagerdutyServiceId) return [];
  return [...(roster.pagerdutyServices[pagerdutyServiceId] ?? [])];
}

/** Groups accounts by owner, in the order owners first appear. One DM per owner, not per account. */
export function ownersOf(accounts: Account[]): Map<string, Account[]> {
  const owners = new Map<string, Account[]>();
  for (const account of accounts) {
    const list = owners.get(account.ownerId);
    if (list) list.push(account);
    else owners.set(account.ownerId, [account]);
  }
  return owners;
}

export interface ChannelChoice {
  channels: Channel[];
  /**
   * True when none of the severity's channels reach the account and another one is used instead, so the
   * customer still hears from us (handbook: "Maintain global coverage so customers always hear from us").
   */
  fallback: boolean;
}

/** The channels one account is told through, for a severity's policy. SMS only reaches high-touch accounts. */
export function channelsFor(
  account: Account,
  policy: Pick<SeverityPolicy, 'channels' | 'channelMode'>,
): ChannelChoice {
  const reachable = (channel: Channel): boolean => {
    if (channel === 'slack') return Boolean(account.slackChannelId);
    if (channel === 'email') return account.emails.length > 0;
    return account.tier === 'high-touch' && account.smsNumbers.length > 0;
  };
  const listed = policy.channels.filter(reachable);
  if (listed.length > 0) {
    return { channels: policy.channelMode === 'all' ? listed : listed.slice(0, 1), fallback: false };
  }
  const other = (['slack', 'email', 'sms'] as const).find(reachable);
  return { channels: other ? [other] : [], fallback: other !== undefined };
}

function norm(value: string): string {
  return value.trim().toLowerCase();
}
