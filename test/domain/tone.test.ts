import { describe, expect, it } from 'vitest';
import { checkTone, type ToneRuleId } from '../../lambdas/domain/index.ts';

/** The handbook's "Tone and voice" table, verbatim. */
const HANDBOOK_TABLE: { principle: string; example: string; avoid: string; rule: ToneRuleId }[] = [
  {
    principle: 'Direct',
    example: 'Event ingestion is paused.',
    avoid: 'We are experiencing an issue affecting a subset of users.',
    rule: 'status-speak',
  },
  {
    principle: 'Empathetic',
    example: 'I know this blocks work; it’s our top priority.',
    avoid: 'We apologize for the inconvenience.',
    rule: 'formulaic-apology',
  },
  {
    principle: 'Plain English',
    example: 'Dashboards might not update.',
    avoid: 'You may experience degraded query latency.',
    rule: 'jargon',
  },
  {
    principle: 'Ownership',
    example: 'We identified a config issue on our side.',
    avoid: 'A third-party dependency caused an issue.',
    rule: 'blames-others',
  },
];

describe('the handbook tone table', () => {
  it.each(HANDBOOK_TABLE)(
    '$principle: the Avoid example is flagged ("$avoid")',
    ({ avoid, rule, principle }) => {
      const findings = checkTone(avoid);
      expect(findings.map((f) => f.rule)).toContain(rule);
      const finding = findings.find((f) => f.rule === rule);
      expect(finding?.principle).toBe(principle);
      // The suggestion is the handbook's Example for the same principle.
      expect(finding?.suggestion).toBe(HANDBOOK_TABLE.find((row) => row.principle === principle)?.example);
    },
  );

  it.each(HANDBOOK_TABLE)('$principle: the Example is clean ("$example")', ({ example }) => {
    expect(checkTone(example)).toEqual([]);
  });

  it('quotes the offending words exactly as written, at their position', () => {
    const text = 'Hi all.\nWe are experiencing an issue affecting a subset of users.';
    for (const finding of checkTone(text)) {
      expect(text.slice(finding.index, finding.index + finding.words.length)).toBe(finding.words);
    }
    expect(checkTone(text).map((f) => f.words)).toEqual(['experiencing an issue', 'a subset of users']);
  });

  it('reads curly apostrophes like straight ones', () => {
    expect(
      checkTone('We’re currently experiencing some technical difficulties.').map((f) => f.rule),
    ).toContain('status-speak');
  });
});

/** Paraphrases of the Avoid column: the family, not the exact strings. */
const PARAPHRASES: [ToneRuleId, string][] = [
  ['status-speak', 'We’re currently experiencing some technical difficulties.'],
  ['status-speak', 'Customers may be experiencing intermittent problems with exports.'],
  ['status-speak', 'An issue impacting the dashboard has been identified.'],
  ['status-speak', 'We are aware of an issue with logins and are investigating.'],
  ['status-speak', 'At this time, there is no workaround.'],
  ['status-speak', 'Rest assured, our engineers are on it.'],
  ['status-speak', 'We take this very seriously.'],
  ['status-speak', 'Your project may be impacted.'],
  ['status-speak', 'There is a service disruption in the EU.'],
  ['status-speak', 'We are investigating an issue.'],
  ['status-speak', 'We’re seeing some intermittent problems.'],
  ['vague-audience', 'A small number of customers might notice missing events.'],
  ['vague-audience', 'This affects a portion of our users in the EU.'],
  ['vague-audience', 'Some users may see errors when they log in.'],
  ['vague-audience', 'A limited number of accounts could not export.'],
  ['formulaic-apology', 'We sincerely apologize for any disruption this may have caused.'],
  ['formulaic-apology', 'Sorry for any inconvenience caused!'],
  ['formulaic-apology', 'Please accept our apologies.'],
  ['formulaic-apology', 'We regret to inform you that exports are down.'],
  ['formulaic-apology', 'We regret the trouble this has caused.'],
  ['formulaic-apology', 'Thank you for your patience and understanding.'],
  ['formulaic-apology', 'This may be inconvenient for your team.'],
  ['jargon', 'Query performance is degraded.'],
  ['jargon', 'We see elevated error rates on the API.'],
  ['jargon', 'Users may notice increased response times.'],
  ['jargon', 'p99 latency is above target.'],
  ['jargon', 'Throughput on the ingestion pipeline dropped.'],
  ['jargon', 'P95 response time is 4 seconds.'],
  ['jargon', 'You may see reduced performance on insights.'],
  ['blames-others', 'This was caused by an outage at our cloud provider.'],
  ['blames-others', 'The root cause was an upstream provider failure.'],
  ['blames-others', 'Due to an AWS outage, ingestion was delayed.'],
  ['blames-others', 'This was outside of our control.'],
  ['blames-others', 'An external dependency failed.'],
  ['blames-others', 'Our hosting partner had a hiccup.'],
  ['blames-others', 'One of our vendors had an incident; the delay was because of a vendor.'],
  ['signed-by-team', 'Thanks for bearing with us.\n— The Example Analytics Team'],
  ['signed-by-team', 'Best,\nThe Support Team'],
  ['signed-by-team', 'Cheers, the customer success team'],
  ['signed-by-team', 'Fixed now! — The Acme Team'],
  ['signed-by-team', 'Kind regards,\nCustomer Success'],
  ['signed-by-team', 'Thanks,\nExample Analytics Support'],
  ['signed-by-team', 'We’re on it, on behalf of the Example Analytics team.'],
];

describe('paraphrases of the Avoid column are caught', () => {
  it.each(PARAPHRASES)('%s: %s', (rule, text) => {
    expect(checkTone(text).map((f) => f.rule)).toContain(rule);
  });
});

/** Plain, direct sentences, some close to the rules' words, that must pass. */
const PLAIN = [
  'We’re aware and investigating.',
  'Event ingestion is paused; events you send are queued and none are lost.',
  'I know this blocks your launch — it’s our top priority.',
  'Some EU customers can’t log in right now.',
  'Dashboards might not update for the next hour.',
  'Our team is on it.',
  'Our support team',
  'Please contact the Support Team.',
  'The team has deployed a fix.',
  'Thanks to the team at Acme for reporting it.',
  'We’re investigating a major outage affecting event ingestion.',
  'We found the problem: a config change on our side.',
  'We’re investigating an issue with logins from Safari.',
  'Support for SAML logins is back.',
  'Engineering found the cause: a config change on our side.',
  'Session replays recorded after 10:05 UTC are missing. We’re restoring them.',
  'Sorry — I know this landed in the middle of your launch.',
  'Good news — the issue is resolved. Root cause: a bad deploy of our ingestion workers.',
  'Feature flags are returning the default value for every user.',
  'We moved your data to a new disk; nothing is lost.',
  '— Ada, Example Analytics',
];

describe('plain sentences pass', () => {
  it.each(PLAIN)('%s', (text) => {
    expect(checkTone(text)).toEqual([]);
  });
});

describe('what a severity requires', () => {
  it.each(['SEV1', 'SEV2'] as const)(
    '%s: a message that does not say when the next update comes is flagged',
    (severity) => {
      const findings = checkTone('We’re looking into it and will update you soon.', { severity });
      expect(findings).toEqual([expect.objectContaining({ rule: 'no-next-update', words: '', index: -1 })]);
    },
  );

  it.each([
    'Updates every 30 minutes until resolved.',
    'We’re mitigating and will update within the hour.',
    'Next update within 45 minutes.',
    'I’ll check in again in 20 minutes.',
    'Next update at 14:30 UTC.',
    'We will update you every hour.',
  ])('SEV1: "%s" says when', (text) => {
    expect(checkTone(text, { severity: 'SEV1' })).toEqual([]);
  });

  it.each(['SEV3', 'SEV4'] as const)('%s: start and close only, so no promise is needed', (severity) => {
    expect(checkTone('FYI — slower exports. I’ll update once it’s stable.', { severity })).toEqual([]);
  });

  it('a closing message (resolution) promises no next update', () => {
    expect(
      checkTone('Good news — the issue is resolved.', { severity: 'SEV1', phase: 'resolution' }),
    ).toEqual([]);
  });

  it('with the company known, a message signed by the company instead of a person is flagged', () => {
    const text = 'Event ingestion is paused.\n— Example Analytics';
    expect(checkTone(text)).toEqual([]);
    expect(checkTone(text, { company: 'Example Analytics' }).map((f) => f.rule)).toEqual(['signed-by-team']);
  });
});
