import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  affectedAccounts,
  channelsFor,
  ownersOf,
  parseRoster,
  policyFor,
  servicesForPagerDuty,
  type Account,
} from '../../lambdas/domain/index.ts';

const roster = parseRoster(JSON.parse(readFileSync('config/roster.example.json', 'utf8')));
const ids = (accounts: Account[]) => accounts.map((a) => a.id);
const account = (id: string) => roster.accounts.find((a) => a.id === id) as Account;

describe('affectedAccounts', () => {
  it('finds every account using an affected service, in roster order', () => {
    expect(ids(affectedAccounts(roster, { services: ['billing'] }))).toEqual([
      'nimbus-crm',
      'meridian-pay',
      'polaris-energy',
      'dunmore-bank',
      'granite-insurance',
    ]);
  });

  it('narrows to the affected product regions; an account with no regions listed runs everywhere', () => {
    expect(ids(affectedAccounts(roster, { services: ['billing'], regions: ['eu'] }))).toEqual([
      'dunmore-bank',
      'granite-insurance',
    ]);
    const everywhere = { ...roster, accounts: [{ ...account('nimbus-crm'), regions: [] }] };
    expect(ids(affectedAccounts(everywhere, { services: ['billing'], regions: ['eu'] }))).toEqual([
      'nimbus-crm',
    ]);
  });

  it('matches names case-insensitively', () => {
    expect(affectedAccounts(roster, { services: [' Billing '], regions: ['EU'] })).toHaveLength(2);
  });

  it('is overridable: add accounts, exclude accounts (exclusion wins), ignore unknown ids', () => {
    const result = affectedAccounts(roster, {
      services: ['billing'],
      regions: ['eu'],
      accountIds: ['acme-rockets', 'no-such-account', 'granite-insurance'],
      excludeAccountIds: ['granite-insurance'],
    });
    expect(ids(result)).toEqual(['acme-rockets', 'dunmore-bank']);
  });

  it('no services, no accounts', () => {
    expect(affectedAccounts(roster, { services: [] })).toEqual([]);
  });
});

describe('servicesForPagerDuty', () => {
  it('maps a PagerDuty service to product services, and an unknown one to none', () => {
    expect(servicesForPagerDuty(roster, 'PSVC006')).toEqual(['ingestion', 'query', 'session-replay']);
    expect(servicesForPagerDuty(roster, 'PNOTMAPPED')).toEqual([]);
    expect(servicesForPagerDuty(roster, undefined)).toEqual([]);
  });
});

describe('ownersOf', () => {
  it('groups accounts by owner, owners in first-seen order', () => {
    const owners = ownersOf(affectedAccounts(roster, { services: ['billing'] }));
    expect([...owners.keys()]).toEqual(['marcus', 'lena', 'diego', 'ines', 'sofia']);
    expect(ids(owners.get('sofia') ?? [])).toEqual(['granite-insurance']);
  });
});

describe('channelsFor', () => {
  it('SEV1: Slack, email and SMS — SMS for high-touch accounts only', () => {
    expect(channelsFor(account('acme-rockets'), policyFor('SEV1'))).toEqual({
      channels: ['slack', 'email', 'sms'],
      fallback: false,
    });
    expect(channelsFor(account('bluebird-health'), policyFor('SEV1'))).toEqual({
      channels: ['slack', 'email'],
      fallback: false,
    });
  });

  it('SEV2: Slack or email, the first the account has', () => {
    expect(channelsFor(account('acme-rockets'), policyFor('SEV2')).channels).toEqual(['slack']);
    expect(channelsFor(account('nimbus-crm'), policyFor('SEV2')).channels).toEqual(['email']);
  });

  it('SEV3 is Slack; an account without Slack still hears from us, by email, flagged as a fallback', () => {
    expect(channelsFor(account('corvid-games'), policyFor('SEV3'))).toEqual({
      channels: ['slack'],
      fallback: false,
    });
    expect(channelsFor(account('granite-insurance'), policyFor('SEV3'))).toEqual({
      channels: ['email'],
      fallback: true,
    });
  });

  it('SEV4 prefers email, then Slack', () => {
    expect(channelsFor(account('orchard-foods'), policyFor('SEV4')).channels).toEqual(['slack']);
    expect(channelsFor(account('corvid-games'), policyFor('SEV4')).channels).toEqual(['email']);
  });
});
