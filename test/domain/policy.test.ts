import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICIES,
  PolicyError,
  parsePolicyConfig,
  policyFor,
  severityFromPagerDuty,
  type ValidationIssue,
} from '../../lambdas/domain/index.ts';
import { ifDefined } from '../../lambdas/domain/optional.ts';

describe('the handbook defaults (docs/architecture.md, "Budgets and rules")', () => {
  it('SEV1 Critical: Slack, email, then SMS; every 30 min (max 60); starts on its own; write-up in 48 h', () => {
    expect(policyFor('SEV1')).toMatchObject({
      label: 'Critical',
      channels: ['slack', 'email', 'sms'],
      channelMode: 'all',
      cadenceMinutes: 30,
      maxCadenceMinutes: 60,
      autoStart: true,
      cmocReview: true,
      postmortemHours: 48,
      broadcastAllowed: true,
    });
  });

  it('SEV2 Major: Slack or email; every hour (max 2 h)', () => {
    expect(policyFor('SEV2')).toMatchObject({
      label: 'Major',
      channels: ['slack', 'email'],
      channelMode: 'first',
      cadenceMinutes: 60,
      maxCadenceMinutes: 120,
      autoStart: false,
      postmortemHours: null,
    });
  });

  it('SEV3 Minor: Slack, start and close only; SEV4: email or Slack broadcast, before and after', () => {
    expect(policyFor('SEV3')).toMatchObject({
      channels: ['slack'],
      cadenceMinutes: null,
      maxCadenceMinutes: null,
    });
    expect(policyFor('SEV4')).toMatchObject({
      channels: ['email', 'slack'],
      cadenceMinutes: null,
      broadcastAllowed: true,
    });
  });

  it('owner and backup together act within one cadence', () => {
    for (const policy of Object.values(DEFAULT_POLICIES)) {
      if (policy.cadenceMinutes !== null) {
        expect(policy.ownerTimeoutMinutes + policy.backupTimeoutMinutes).toBeLessThanOrEqual(
          policy.cadenceMinutes,
        );
      }
    }
  });

  it('hands out copies: changing one does not change the defaults', () => {
    const policy = policyFor('SEV1');
    policy.channels.push('email');
    policy.cadenceMinutes = 5;
    expect(policyFor('SEV1').channels).toEqual(['slack', 'email', 'sms']);
    expect(policyFor('SEV1').cadenceMinutes).toBe(30);
  });
});

describe('parsePolicyConfig', () => {
  it('accepts config/policy.example.json and applies its overrides', () => {
    const config = parsePolicyConfig(JSON.parse(readFileSync('config/policy.example.json', 'utf8')));
    expect(policyFor('SEV2', config).cadenceMinutes).toBe(45);
    expect(policyFor('SEV1', config).label).toBe('Critical');
  });

  it('accepts an empty config (all defaults)', () => {
    expect(policyFor('SEV2', parsePolicyConfig({}))).toEqual(policyFor('SEV2'));
  });

  const issuesOf = (input: unknown): ValidationIssue[] => {
    try {
      parsePolicyConfig(input);
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).name).toBe('PolicyError');
      return (error as PolicyError).issues;
    }
    throw new Error('expected a PolicyError');
  };

  it.each<[string, unknown, string, RegExp]>([
    [
      'a cadence above the maximum',
      { severities: { SEV1: { cadenceMinutes: 90 } } },
      'severities.SEV1.cadenceMinutes',
      /90.*exceeds the maximum of 60/,
    ],
    [
      'a cadence on one end only',
      { severities: { SEV3: { cadenceMinutes: 60 } } },
      'severities.SEV3.cadenceMinutes',
      /both be set or both be null/,
    ],
    [
      'timeouts longer than the cadence',
      { severities: { SEV2: { ownerTimeoutMinutes: 50 } } },
      'severities.SEV2.ownerTimeoutMinutes',
      /exceed the 60-minute cadence/,
    ],
    [
      'a channel twice',
      { severities: { SEV2: { channels: ['slack', 'slack'] } } },
      'severities.SEV2.channels',
      /must not list a channel twice/,
    ],
    [
      'an unknown channel',
      { severities: { SEV2: { channels: ['fax'] } } },
      'severities.SEV2.channels[0]',
      /must be one of "slack", "email", "sms" \(got "fax"\)/,
    ],
    [
      'a negative timeout',
      { severities: { SEV1: { backupTimeoutMinutes: -5 } } },
      'severities.SEV1.backupTimeoutMinutes',
      /more than 0 minutes/,
    ],
    [
      'a fractional minute',
      { severities: { SEV1: { ownerTimeoutMinutes: 2.5 } } },
      'severities.SEV1.ownerTimeoutMinutes',
      /whole number/,
    ],
    [
      'an unknown severity',
      { severities: { SEV5: {} } },
      'severities.SEV5',
      /is not a level of the ladder \(SEV1, SEV2, SEV3, SEV4\)/,
    ],
    [
      'a misspelt field',
      { severities: { SEV1: { cadence: 30 } } },
      'severities.SEV1',
      /unknown field "cadence"/,
    ],
    [
      'a priority mapped to nothing',
      { pagerduty: { priorities: { P1: 'SEV0' } } },
      'pagerduty.priorities.P1',
      /\("SEV0"\) is not a level of the ladder \(SEV1, SEV2, SEV3, SEV4\)/,
    ],
  ])('rejects %s, naming the path', (_, input, path, message) => {
    const issues = issuesOf(input);
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(issue?.message.startsWith(path)).toBe(true);
  });
});

describe('PagerDuty → severity', () => {
  it.each([
    ['P1', 'high', 'SEV1'],
    ['P1', 'low', 'SEV1'], // the priority, a person's call, wins over urgency
    ['P2', 'high', 'SEV2'],
    ['P3', null, 'SEV3'],
    ['P4', 'high', 'SEV4'],
    ['P5', 'low', 'SEV4'],
    ['p2', 'low', 'SEV2'],
    [' P1 ', null, 'SEV1'],
    // No (known) priority: by urgency; high is Major, never Critical, so nothing starts without the CMOC.
    [null, 'high', 'SEV2'],
    [undefined, 'low', 'SEV3'],
    [null, null, 'SEV3'],
    ['P0-custom', 'high', 'SEV2'],
  ] as const)('priority %s, urgency %s → %s', (priority, urgency, expected) => {
    expect(severityFromPagerDuty({ ...ifDefined('priority', priority), urgency })).toBe(expected);
  });

  it('is configurable: custom priority names and the no-priority rule', () => {
    const config = parsePolicyConfig({
      pagerduty: { priorities: { 'sev-1': 'SEV1', P2: 'SEV1' }, withoutPriority: { high: 'SEV1' } },
    });
    expect(severityFromPagerDuty({ priority: 'SEV-1' }, config)).toBe('SEV1');
    expect(severityFromPagerDuty({ priority: 'P2' }, config)).toBe('SEV1');
    expect(severityFromPagerDuty({ priority: 'P3' }, config)).toBe('SEV3');
    expect(severityFromPagerDuty({ urgency: 'high' }, config)).toBe('SEV1');
    expect(severityFromPagerDuty({ urgency: 'low' }, config)).toBe('SEV3');
  });
});
