import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PolicyError,
  checkTone,
  findLevel,
  ladderOf,
  levelNames,
  maintenanceLevel,
  parsePolicyConfig,
  policyFor,
  renderUpdate,
  severityFromPagerDuty,
  type PolicyConfig,
  type ValidationIssue,
} from '../../lambdas/domain/index.ts';
import { parseSeverity } from '../../lambdas/handlers/http/slack-commands/args.ts';
import { ArgumentError } from '../../lambdas/handlers/http/slack-commands/args.ts';

/** config/policy.example.json: the handbook's four with a SEV0 above them. */
const WITH_SEV0: PolicyConfig = parsePolicyConfig(
  JSON.parse(readFileSync('config/policy.example.json', 'utf8')),
);

/** A company that names its levels in words and has only three. */
const IN_WORDS = {
  levels: [
    { name: 'Critical', like: 'SEV1' },
    { name: 'Major', like: 'SEV2', cadenceMinutes: 90, maxCadenceMinutes: 120 },
    { name: 'Planned', like: 'SEV4' },
  ],
  pagerduty: {
    priorities: { P1: 'Critical', P2: 'Major', P3: 'Major', P4: 'Planned', P5: 'Planned' },
    withoutPriority: { high: 'Major', low: 'Planned', unknown: 'Planned' },
  },
};

function issuesOf(input: unknown): ValidationIssue[] {
  try {
    parsePolicyConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).issues;
  }
  throw new Error('expected a PolicyError');
}

describe('the ladder', () => {
  it('is the handbook’s four when the policy defines none', () => {
    expect(levelNames()).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(levelNames(parsePolicyConfig({}))).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(maintenanceLevel()).toBe('SEV4');
  });

  it('follows the policy’s order, with each level built from the one it is like', () => {
    expect(levelNames(WITH_SEV0)).toEqual(['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4']);
    const sev0 = policyFor('SEV0', WITH_SEV0);
    expect(sev0).toMatchObject({
      severity: 'SEV0',
      cadenceMinutes: 15,
      maxCadenceMinutes: 30,
      postmortemHours: 24,
      broadcastAtStart: true,
      // From SEV1, untouched:
      channels: ['slack', 'email', 'sms'],
      channelMode: 'all',
      cmocReview: true,
      templates: { initial: 'critical', resolution: 'critical-resolution' },
    });
    // `severities` still changes a level the ladder lists.
    expect(policyFor('SEV2', WITH_SEV0).cadenceMinutes).toBe(45);
    expect(maintenanceLevel(WITH_SEV0)).toBe('SEV4');
  });

  it('reads a name it no longer has as its most severe level, so an open incident keeps its care', () => {
    const gone = policyFor('SEV9', WITH_SEV0);
    expect(gone.severity).toBe('SEV9');
    expect(gone.cadenceMinutes).toBe(policyFor('SEV0', WITH_SEV0).cadenceMinutes);
  });

  it('lets a company name its levels in words', () => {
    const config = parsePolicyConfig(IN_WORDS);
    expect(ladderOf(config).map((l) => `${l.severity}:${l.label}`)).toEqual([
      'Critical:Critical',
      'Major:Major',
      'Planned:Informational / Planned',
    ]);
    expect(maintenanceLevel(config)).toBe('Planned');
    expect(severityFromPagerDuty({ priority: 'p3' }, config)).toBe('Major');
    expect(severityFromPagerDuty({ urgency: 'high' }, config)).toBe('Major');
  });

  it.each([
    ['sev0', 'SEV0'],
    ['SEV-0', 'SEV0'],
    ['0', 'SEV0'],
    [' Sev2 ', 'SEV2'],
    ['5', undefined],
    ['SEV', undefined],
    ['sev 0', undefined],
  ])('finds %j as %s', (word, level) => {
    expect(findLevel(word, WITH_SEV0)).toBe(level);
  });

  it('finds a level named in words by its name in any case, and not by a number', () => {
    const config = parsePolicyConfig(IN_WORDS);
    expect(findLevel('major', config)).toBe('Major');
    expect(findLevel('1', config)).toBeUndefined();
  });
});

describe('what follows the ladder', () => {
  const facts = {
    id: 'Q1',
    title: 'Everything is down',
    severity: 'SEV0',
    services: ['ingestion'],
    startedAt: '2026-11-05T15:10:00Z',
    resolvedAt: '2026-11-05T16:47:00Z',
    feature: 'event ingestion',
  };
  const render = (phase: 'initial' | 'update' | 'resolution', config?: PolicyConfig) =>
    renderUpdate({
      phase,
      channel: 'email',
      incident: facts,
      account: { name: 'Acme Rockets' },
      sender: { name: 'Ada' },
      company: 'Example Analytics',
      ...(config ? { policy: config } : {}),
    });

  it('drafts a SEV0 with its own templates, cadence and write-up promise', () => {
    const initial = render('initial', WITH_SEV0);
    expect(initial.template).toBe('critical');
    expect(initial.text).toContain('updates every 15 minutes');
    const update = render('update', WITH_SEV0);
    expect(update.text).toMatch(/Next update within 15 minutes/);
    const resolution = render('resolution', WITH_SEV0);
    expect(resolution.template).toBe('critical-resolution');
    expect(resolution.text).toContain('24 hours');
  });

  it('uses the templates a level names', () => {
    const config = parsePolicyConfig({
      severities: { SEV3: { templates: { initial: 'major' }, cadenceMinutes: 120, maxCadenceMinutes: 240 } },
    });
    const sev3 = { ...facts, severity: 'SEV3' };
    const rendered = renderUpdate({
      phase: 'initial',
      channel: 'slack',
      incident: sev3,
      account: { name: 'Acme Rockets' },
      sender: { name: 'Ada' },
      company: 'Example Analytics',
      policy: config,
    });
    expect(rendered.template).toBe('major');
    expect(policyFor('SEV3', config).templates.resolution).toBe('resolution');
  });

  it('holds a SEV0 to the next-update promise, as it does SEV1, and not a level without a cadence', () => {
    const text = 'We are looking into slow dashboards.';
    const rule = (severity: string, policy?: PolicyConfig) =>
      checkTone(text, { severity, policy, phase: 'update' }).map((f) => f.rule);
    expect(rule('SEV0', WITH_SEV0)).toContain('no-next-update');
    expect(rule('SEV3', WITH_SEV0)).not.toContain('no-next-update');
    const quiet = parsePolicyConfig({
      severities: {
        SEV2: { cadenceMinutes: null, maxCadenceMinutes: null, templates: { initial: 'minor' } },
      },
    });
    expect(rule('SEV2', quiet)).not.toContain('no-next-update');
  });

  it('/comms declare takes the ladder’s names and lists them when it gets another', () => {
    expect(parseSeverity('0', WITH_SEV0)).toBe('SEV0');
    expect(() => parseSeverity('0')).toThrow(ArgumentError);
    expect(() => parseSeverity('urgent', WITH_SEV0)).toThrow(
      '"urgent" is not a severity: use SEV0, SEV1, SEV2, SEV3 or SEV4.',
    );
  });
});

describe('a policy naming an unknown level', () => {
  it.each<[string, unknown, string, RegExp]>([
    [
      'a severity override of a level the ladder lacks',
      { levels: IN_WORDS.levels, pagerduty: IN_WORDS.pagerduty, severities: { SEV1: {} } },
      'severities.SEV1',
      /\("SEV1"\) is not a level of the ladder \(Critical, Major, Planned\)/,
    ],
    [
      'a PagerDuty priority mapped to a level the ladder lacks',
      {
        ...IN_WORDS,
        pagerduty: { ...IN_WORDS.pagerduty, priorities: { ...IN_WORDS.pagerduty.priorities, P2: 'SEV2' } },
      },
      'pagerduty.priorities.P2',
      /\("SEV2"\) is not a level of the ladder/,
    ],
    [
      'a default priority left pointing at a level the ladder lacks',
      { levels: IN_WORDS.levels, pagerduty: { withoutPriority: IN_WORDS.pagerduty.withoutPriority } },
      'pagerduty.priorities',
      /must map PagerDuty's P1: by default it is SEV1, which this ladder does not have/,
    ],
    [
      'an urgency mapped to a level the ladder lacks',
      { ...IN_WORDS, pagerduty: { ...IN_WORDS.pagerduty, withoutPriority: { high: 'Urgent' } } },
      'pagerduty.withoutPriority.high',
      /\("Urgent"\) is not a level of the ladder/,
    ],
    [
      'an urgency left at a default the ladder lacks',
      { ...IN_WORDS, pagerduty: { priorities: IN_WORDS.pagerduty.priorities } },
      'pagerduty.withoutPriority.low',
      /must be set: by default it is SEV3, which this ladder does not have/,
    ],
    [
      'a new level that is like nothing and says too little',
      {
        levels: [
          { name: 'SEV0', cadenceMinutes: 15 },
          { name: 'SEV1' },
          { name: 'SEV2' },
          { name: 'SEV3' },
          { name: 'SEV4' },
        ],
      },
      'levels[0]',
      /\("SEV0"\) is not one of SEV1, SEV2, SEV3, SEV4: say which it is like \(e\.g\. "like": "SEV1"\) or give label, meaning/,
    ],
    [
      'a level named twice',
      { levels: [{ name: 'SEV1' }, { name: 'sev1', like: 'SEV2' }, { name: 'SEV3' }, { name: 'SEV4' }] },
      'levels[1].name',
      /\("sev1"\) names levels\[0\] again/,
    ],
    [
      'a level like one that does not exist',
      { levels: [{ name: 'SEV0', like: 'SEV9' }] },
      'levels[0].like',
      /SEV9/,
    ],
    [
      'a level whose name cannot be typed',
      { levels: [{ name: 'sev 0', like: 'SEV1' }] },
      'levels[0].name',
      /must be 1–20 letters, digits, hyphens or underscores/,
    ],
    [
      'a new level whose time-outs overrun its cadence',
      {
        levels: [{ name: 'SEV0', like: 'SEV1', cadenceMinutes: 15, maxCadenceMinutes: 30 }, { name: 'SEV1' }],
      },
      'levels[0].ownerTimeoutMinutes',
      /\(10\) \+ backupTimeoutMinutes \(10\) exceed the 15-minute cadence/,
    ],
    [
      'opening words that promise updates on a level without a cadence',
      { severities: { SEV3: { templates: { initial: 'major' } } } },
      'severities.SEV3.templates',
      /templates.initial "major" promises updates on a cadence, and the level has none/,
    ],
    [
      'a cadence on a level whose opening words promise none',
      { severities: { SEV3: { cadenceMinutes: 120, maxCadenceMinutes: 240 } } },
      'severities.SEV3.cadenceMinutes',
      /templates.initial "minor" promises no next update, and the level updates every 120 min/,
    ],
    [
      'a start broadcast without Slack',
      { severities: { SEV1: { broadcastAtStart: true, channels: ['email'] } } },
      'severities.SEV1.broadcastAtStart',
      /needs slack among the channels/,
    ],
  ])('refuses %s, naming the path', (_, input, path, message) => {
    const issues = issuesOf(input);
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
  });
});

describe('the company’s tone settings', () => {
  const rules = (text: string, policy?: PolicyConfig) =>
    checkTone(text, { severity: 'SEV3', policy, company: 'Example Analytics' }).map((f) => f.rule);

  it('flag the company’s own internal names as a customer cannot read them, as whole words in any case', () => {
    const config = parsePolicyConfig({ tone: { internalNames: ['Kestrel', 'ingest-router'] } });
    expect(rules('The kestrel queue is backed up; Ingest-Router restarted.', config)).toEqual([
      'internal-names',
      'internal-names',
    ]);
    expect(rules('The kestrels are nesting; ingest-routers are fine.', config)).toEqual([]);
    expect(rules('The kestrel queue is backed up.')).toEqual([]);
  });

  it('turn off the rules a company does not want, and only those', () => {
    const text = 'Some users may experience issues.\n— Example Analytics';
    expect(rules(text)).toEqual(expect.arrayContaining(['vague-audience', 'signed-by-team']));
    const config = parsePolicyConfig({ tone: { off: ['signed-by-team'] } });
    expect(rules(text, config)).toContain('vague-audience');
    expect(rules(text, config)).not.toContain('signed-by-team');
  });

  it('refuse a rule that does not exist, with the path', () => {
    expect(issuesOf({ tone: { off: ['rudeness'] } })).toEqual([
      expect.objectContaining({ path: 'tone.off[0]' }),
    ]);
  });
});
