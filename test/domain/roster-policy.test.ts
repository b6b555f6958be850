import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../support/roster-issues.ts';
import { parseRoster, policyFor, severityFromPagerDuty } from '../../lambdas/domain/index.ts';
import { incidentChannelPolicy } from '../../lambdas/domain/policy.ts';

/** The severity policy inside the roster (`policy`): the same checks as a policy file, paths under `policy.`. */
const EXAMPLE = JSON.parse(readFileSync('config/roster.example.json', 'utf8')) as Record<string, unknown>;
const POLICY_EXAMPLE: unknown = JSON.parse(readFileSync('config/policy.example.json', 'utf8'));

const withPolicy = (policy: unknown): Record<string, unknown> => ({ ...structuredClone(EXAMPLE), policy });

describe('roster.policy', () => {
  it('is optional: a roster without one gets the handbook defaults', () => {
    const { policy: _policy, ...bare } = structuredClone(EXAMPLE);
    const roster = parseRoster(bare);
    expect(roster.policy).toBeUndefined();
    expect(policyFor('SEV2', roster.policy)).toEqual(policyFor('SEV2'));
  });

  it('has the incident channel off unless turned on, with the prefix "inc" unless named', () => {
    const { policy: _policy, ...bare } = structuredClone(EXAMPLE);
    expect(incidentChannelPolicy(parseRoster(bare).policy)).toEqual({ enabled: false, prefix: 'inc' });
    const on = parseRoster(withPolicy({ incidentChannel: { enabled: true } })).policy;
    expect(incidentChannelPolicy(on)).toEqual({ enabled: true, prefix: 'inc' });
    const named = parseRoster(withPolicy({ incidentChannel: { enabled: true, prefix: 'sev' } })).policy;
    expect(incidentChannelPolicy(named).prefix).toBe('sev');
  });

  it('carries overrides and the PagerDuty priority names into the parsed roster', () => {
    const roster = parseRoster(
      withPolicy({
        severities: { SEV2: { cadenceMinutes: 40 } },
        pagerduty: { priorities: { 'Sev-A': 'SEV1' } },
      }),
    );
    expect(policyFor('SEV2', roster.policy).cadenceMinutes).toBe(40);
    expect(policyFor('SEV1', roster.policy).cadenceMinutes).toBe(30);
    expect(severityFromPagerDuty({ priority: 'sev-a', urgency: 'low' }, roster.policy)).toBe('SEV1');
    expect(severityFromPagerDuty({ priority: 'sev-a', urgency: 'low' })).toBe('SEV3');
  });

  it('accepts what config/policy.example.json holds', () => {
    const roster = parseRoster(withPolicy(POLICY_EXAMPLE));
    expect(policyFor('SEV2', roster.policy).cadenceMinutes).toBe(45);
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      'a cadence of 0',
      { severities: { SEV1: { cadenceMinutes: 0 } } },
      'policy.severities.SEV1.cadenceMinutes',
      /must be more than 0 minutes \(got 0\)/,
    ],
    [
      'a cadence above the maximum (a rule between fields)',
      { severities: { SEV1: { cadenceMinutes: 90 } } },
      'policy.severities.SEV1.cadenceMinutes',
      /90.*exceeds the maximum of 60/,
    ],
    [
      'a cadence shorter than the owner and backup time-outs',
      { severities: { SEV2: { cadenceMinutes: 20 } } },
      'policy.severities.SEV2.ownerTimeoutMinutes',
      /exceed the 20-minute cadence/,
    ],
    [
      'a priority mapped to no severity',
      { pagerduty: { priorities: { 'Sev-A': 'SEV0' } } },
      'policy.pagerduty.priorities.Sev-A',
      /\("SEV0"\) is not a level of the ladder \(SEV1, SEV2, SEV3, SEV4\)/,
    ],
    ['a misspelt key', { severity: {} }, 'policy', /unknown field "severity"/],
    [
      'a level of its own ladder that PagerDuty cannot reach',
      { levels: [{ name: 'Critical', like: 'SEV1' }, { name: 'SEV2' }, { name: 'SEV3' }, { name: 'SEV4' }] },
      'policy.pagerduty.priorities',
      /must map PagerDuty's P1: by default it is SEV1, which this ladder does not have/,
    ],
    [
      'an incident channel prefix Slack would refuse',
      { incidentChannel: { enabled: true, prefix: 'Inc!' } },
      'policy.incidentChannel.prefix',
      /must be 1–20 lowercase letters/,
    ],
    [
      'an incident channel switch that is not true or false',
      { incidentChannel: { enabled: 'yes' } },
      'policy.incidentChannel.enabled',
      /boolean/,
    ],
  ])('rejects %s, naming the path inside the roster', (_, policy, path, message) => {
    const issues = issuesOf(withPolicy(policy));
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(issue?.message.startsWith(path)).toBe(true);
  });

  it('reports policy problems together with the rest of the roster', () => {
    const input = withPolicy({ severities: { SEV1: { cadenceMinutes: 90 } } });
    (input.accounts as { ownerId: string }[])[3]!.ownerId = 'zed';
    expect(issuesOf(input).map((i) => i.path)).toEqual([
      'accounts[3].ownerId',
      'policy.severities.SEV1.cadenceMinutes',
    ]);
  });
});
