import { describe, expect, it } from 'vitest';
import { parseRoster } from '../../lambdas/domain/index.ts';
import { audienceOf, inBatches } from '../../lambdas/domain/audience.ts';
import { exampleRoster } from '../support/rosters.ts';

const roster = parseRoster(exampleRoster());
const ids = (
  filter: Parameters<typeof audienceOf>[1],
  at = new Date('2026-11-25T15:00:00Z'),
  affected?: string[],
) =>
  audienceOf(roster, filter, {
    at,
    ...(affected ? { affected: roster.accounts.filter((a) => affected.includes(a.id)) } : {}),
  });

describe('audienceOf', () => {
  it('an empty filter is every customer channel; accounts without Slack are listed apart', () => {
    const all = ids({});
    expect(all.targets).toHaveLength(roster.accounts.filter((a) => a.slackChannelId).length);
    expect(all.withoutSlack.sort()).toEqual(['granite-insurance', 'nimbus-crm']);
  });

  it('narrows by tier, services, owner region and product region', () => {
    expect(ids({ tiers: ['high-touch'] }).targets.map((t) => t.accountId)).toEqual([
      'acme-rockets',
      'meridian-pay',
      'dunmore-bank',
      'juniper-ai',
    ]);
    expect(ids({ services: ['billing'] }).targets.map((t) => t.accountId)).toEqual([
      'meridian-pay',
      'polaris-energy',
      'dunmore-bank',
    ]);
    expect(ids({ regions: ['apac'] }).targets.map((t) => t.accountId)).toEqual([
      'harbor-labs',
      'ikigai-retail',
      'juniper-ai',
      'kestrel-travel',
    ]);
    expect(
      ids({ regions: ['eu'] }).targets.every((t) =>
        roster.accounts.find((a) => a.id === t.accountId)!.regions.includes('eu'),
      ),
    ).toBe(true);
  });

  it('leaves out excluded owners, and keeps to an incident’s affected accounts', () => {
    expect(
      ids({ excludeOwners: ['ada', 'marcus'] }).targets.some((t) =>
        ['acme-rockets', 'corvid-games'].includes(t.accountId),
      ),
    ).toBe(false);
    expect(ids({ incidentId: 'Q1' }, undefined, ['acme-rockets', 'nimbus-crm'])).toEqual({
      targets: [{ accountId: 'acme-rockets', channelId: 'C0ACME001' }],
      withoutSlack: ['nimbus-crm'],
    });
  });

  it('owners online / offline follows working hours and PTO in each owner’s zone', () => {
    // Wednesday 15:00 UTC: London (EMEA) is in hours, Sydney (APAC) is not.
    const online = ids({ owners: 'online' }).targets.map((t) => t.accountId);
    const offline = ids({ owners: 'offline' }).targets.map((t) => t.accountId);
    expect(online).toContain('dunmore-bank');
    expect(offline).toContain('juniper-ai');
    expect(online.filter((id) => offline.includes(id))).toEqual([]);
    // Thanksgiving: Ada is on PTO, so her accounts count as offline even in her working hours.
    const thanksgiving = new Date('2026-11-26T16:00:00Z');
    expect(ids({ owners: 'offline' }, thanksgiving).targets.map((t) => t.accountId)).toContain(
      'acme-rockets',
    );
  });
});

describe('inBatches', () => {
  it('splits in order, the last batch shorter', () => {
    expect(inBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inBatches([], 50)).toEqual([]);
  });
});
