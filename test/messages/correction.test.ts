import { describe, expect, it } from 'vitest';
import { MAX_SMS_SEGMENTS, smsSize } from '../../lambdas/domain/sms.ts';
import type { AccountDraft } from '../../lambdas/domain/records/round.ts';
import {
  correctedPost,
  correctionEmail,
  correctionSms,
  targetOf,
  withCorrectButton,
} from '../../lambdas/messages/correct-modal.ts';

/** What a correction says to each customer, and the ids the modal and the button carry. */
const draft: AccountDraft = {
  accountId: 'acme',
  slack: { text: '*Dashboards are slow*\n\nHey Acme team,\n\nDashboards are slow; next update in 2 hours.' },
  email: {
    subject: 'Dashboards are slow',
    text: 'Hey Acme team,\n\nDashboards are slow; next update in 2 hours.',
  },
};
const text = 'Dashboards are slow in the EU only, since 14:10 UTC. Next update in 30 minutes.';

describe('correction texts', () => {
  it('the Slack post keeps its subject and greeting, carries the new text and says when it was edited', () => {
    const post = correctedPost(draft, text, new Date('2026-11-18T14:52:30Z'));
    expect(post.text.split('\n\n')).toEqual([
      '*Dashboards are slow*',
      'Hey Acme team,',
      text,
      '_(edited 14:52 UTC)_',
    ]);
    expect(post.blocks.at(-1)).toMatchObject({ text: { text: '_(edited 14:52 UTC)_' } });
    expect(post.text).not.toContain('2 hours');
  });

  it('the email says it corrects the update of its time, under the same greeting', () => {
    const mail = correctionEmail(draft, 'Use <b>tags</b> & all', '2026-11-18T14:20:00Z');
    expect(mail.subject).toBe('Correction: Dashboards are slow');
    expect(mail.text).toMatch(
      /^Hey Acme team,\n\nA correction to our update of 14:20 UTC\. It should have read:/,
    );
    expect(mail.html).toContain('&lt;b&gt;tags&lt;/b&gt; &amp; all');
  });

  it('the SMS is short however long the correction, and signed by the company', () => {
    const long = correctionSms(`${text} `.repeat(20), 'Example Analytics');
    expect(smsSize(long).segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
    expect(long).toMatch(/^Correction to our last update: Dashboards/);
    expect(long).toMatch(/ - Example Analytics$/);
  });
});

describe('the ids a correction carries', () => {
  it('reads its own target back and nothing else', () => {
    const target = { incidentId: 'Q1', round: 2, senderId: 'ada' };
    const dm = withCorrectButton({ text: 'Sent', blocks: [] }, target);
    const button = JSON.stringify(dm.blocks);
    expect(button).toContain('"action_id":"correct:open"');
    expect(targetOf(JSON.stringify(target))).toEqual(target);
    for (const bad of [undefined, '', 'not json', '{"incidentId":"Q1","round":"2","senderId":"ada"}', '[]'])
      expect(targetOf(bad)).toBeUndefined();
  });
});
