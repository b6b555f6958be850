import { describe, expect, it } from 'vitest';
import { formatFindings } from '../../bin/comms/tone-command.ts';
import { TONE_RULES, checkTone, type ToneRuleId } from '../../lambdas/domain/index.ts';
import { findingsText } from '../../lambdas/messages/edit-modal.ts';

/** Status-speak past the handbook's table: each sentence must be flagged by the named rule. */
const FLAGGED: [ToneRuleId, string, string][] = [
  // [rule, sentence, the words the finding quotes]
  ['shouting', 'Exports are DOWN for everyone.', 'DOWN'],
  ['shouting', 'Please DO NOT LOG IN until we say so.', 'DO NOT LOG IN'],
  ['shouting', 'URGENT: reports are empty.', 'URGENT'],
  ['shouting', 'Your events are SAFE.', 'SAFE'],
  ['shouting', 'We found it!!', '!!'],
  ['shouting', 'Logins fail again?!', '?!'],
  ['unknown-without-plan', 'We don’t know why exports fail.', 'We don’t know why'],
  ['unknown-without-plan', 'Reports are empty for an unknown reason.', 'an unknown reason'],
  ['unknown-without-plan', 'The cause remains unclear.', 'cause remains unclear'],
  ['unknown-without-plan', 'Honestly, we have no idea.', 'we have no idea'],
  ['unknown-without-plan', 'It is still unclear why imports stall.', 'It is still unclear why'],
  ['internal-names', 'db-prod-3.internal ran out of disk space.', 'db-prod-3.internal'],
  ['internal-names', 'The worker-7 host in prod-eu-1 restarted.', 'worker-7'],
  ['internal-names', 'Traffic from 10.0.4.17 was blocked.', '10.0.4.17'],
  ['internal-names', 'Tracked as INC-2231 on our side.', 'INC-2231'],
  ['internal-names', 'Two pods crashed while a shard moved.', 'pods'],
  ['internal-names', 'The ingest service was OOM-killed.', 'OOM-killed'],
  ['internal-names', 'We restarted the k8s node pool.', 'k8s'],
  ['internal-names', 'Replication lag delayed your reports.', 'Replication lag'],
  ['internal-names', 'Requests got 5xx answers.', '5xx'],
  ['overpromise', 'Your data is guaranteed to be intact.', 'guaranteed'],
  ['overpromise', 'Exports are 100 % back.', '100 %'],
  ['overpromise', 'We are 100% sure of the fix.', '100%'],
  ['overpromise', 'This will never happen again.', 'will never happen again'],
  ['overpromise', 'Imports will be fixed by 14:05 UTC.', 'will be fixed by 14:05'],
  [
    'overpromise',
    'Everything should be back to normal in 10 minutes.',
    'should be back to normal in 10 minutes',
  ],
  ['overpromise', 'We’ll have it fixed within the hour.', 'We’ll have it fixed within the hour'],
  ['overpromise', 'Fixed by 3pm, we hope.', 'Fixed by 3pm'],
  ['blames-others', 'Our provider AWS had a network fault.', 'Our provider'],
  ['blames-others', 'Pages failed to load due to Cloudflare.', 'due to Cloudflare'],
  ['blames-others', 'A vendor’s mistake broke single sign-on.', 'A vendor’s mistake'],
  ['blames-others', 'Stripe’s outage stopped new sign-ups.', 'Stripe’s outage'],
  ['blames-others', 'To be clear, this was not our fault.', 'not our fault'],
];

describe('wider tone rules flag', () => {
  it.each(FLAGGED)('%s: %s', (rule, text, words) => {
    const found = checkTone(text).filter((f) => f.rule === rule);
    expect(found.map((f) => f.words)).toContain(words);
    // The quoted words sit where the finding says, in the text as written (curly quotes and all).
    for (const f of found) expect(text.slice(f.index, f.index + f.words.length)).toBe(f.words);
  });
});

/** Close to the rules' words, and fine: none may be flagged by any rule. */
const NEAR_MISSES = [
  // Acronyms, a single "!", a company's short caps name
  'SSO and API logins in the EU are working again.',
  'SAML sign-in through Okta and CSV exports are back.',
  'Fixed now! Thanks for the heads-up, IBM.',
  'The SEV1 on 5 May is closed; the write-up is at https://status.example.com/incidents/88.',
  // Not knowing, said together with what we are doing
  'We don’t know why yet; we’re rolling back yesterday’s change and will update by 15:00 UTC.',
  'The cause is still unknown. Our engineers are replaying the missing events now.',
  'We are investigating the cause and will update by 16:30 UTC.',
  // Numbers and hyphens that are not promises or hostnames
  '100 users in Frankfurt cannot log in.',
  '99.9% of events arrived on time.',
  'Sign-in and follow-up emails work; real-time charts load.',
  'Your production-ready dashboards are safe.',
  'Heads-up: a maintenance window, v2.4 of the mobile app.',
  // Times that are facts, or the next update, not a fix
  'It was fixed at 14:05 UTC.',
  'Imports were fully restored by 14:20.',
  'Next update in 10 minutes.',
  'We’ll be back in 20 minutes with an update.',
  'We can’t guarantee the replay keeps the order of events.',
  'It happened again at 09:10, and we rolled it back at 09:12.',
  // Suppliers named without blame
  'We host your data with AWS in Frankfurt.',
  'Payments through Stripe are working again.',
  'The GitHub integration is down; we’re restarting it.',
];

describe('near misses pass', () => {
  it.each(NEAR_MISSES)('%s', (text) => {
    expect(checkTone(text)).toEqual([]);
  });
});

describe('each wider rule', () => {
  const wider: ToneRuleId[] = ['shouting', 'unknown-without-plan', 'internal-names', 'overpromise'];

  it.each(wider)('%s offers a rewrite that passes the whole check', (id) => {
    const rule = TONE_RULES.find((r) => r.id === id);
    expect(rule?.suggestion).toBeTruthy();
    expect(checkTone(rule?.suggestion ?? 'x')).toEqual([]);
  });

  it('reports in the same shape as the handbook rules: principle, quote, why and the rewrite', () => {
    const [finding] = checkTone('Everything is BROKEN.');
    expect(finding).toMatchObject({
      rule: 'shouting',
      principle: 'Human-centric',
      words: 'BROKEN',
      index: 14,
    });
    expect(finding?.message).toBe(
      'Human-centric: “BROKEN” — capitals and "!!" read as alarm; calm words carry the urgency. ' +
        'Try: “Logins are failing for everyone. We’re rolling back the change that caused it.”',
    );
  });

  it('the plan may come in another sentence; without one, every "don’t know" is quoted', () => {
    expect(checkTone('We don’t know the cause. Meanwhile, exports are queued.')).toEqual([]);
    expect(checkTone('We don’t know the cause. The reason is unknown.').map((f) => f.words)).toEqual([
      'We don’t know the cause',
      'reason is unknown',
    ]);
  });

  it('a shouted word beside an acronym is one finding for the run', () => {
    expect(checkTone('The EU API is DOWN.').map((f) => f.words)).toEqual(['DOWN']);
    expect(checkTone('SSO IS BROKEN').map((f) => f.words)).toEqual(['SSO IS BROKEN']);
  });
});

describe('where findings are shown', () => {
  const text = 'Exports are DOWN.\nWe’ll have it fixed by 14:05 — tracked as INC-88.';
  const findings = checkTone(text);

  it('the Edit modal shows the new findings like the handbook’s, first two and how many more', () => {
    expect(findings.map((f) => f.rule)).toEqual(['shouting', 'overpromise', 'internal-names']);
    expect(findingsText(findings)).toBe(
      `Tone check: ${findings[0]?.message} · ${findings[1]?.message} (+1 more)`,
    );
    expect(findingsText(findings)).toContain('“DOWN”');
  });

  it('comms tone lists each with its line and the rewrite', () => {
    const out = formatFindings(text, findings);
    expect(out).toContain('✗ 3 tone findings:');
    expect(out).toContain('Plain English (internal-names line 2): “INC-88”');
    expect(out).toContain('try: “Reports for some accounts are loading slowly.”');
  });
});
