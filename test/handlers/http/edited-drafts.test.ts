import { describe, expect, it } from 'vitest';
import { renderUpdate } from '../../../lambdas/domain/index.ts';
import { ifDefined } from '../../../lambdas/domain/optional.ts';
import type { AccountDraft } from '../../../lambdas/domain/records/round.ts';
import {
  editableBody,
  withEditedBody,
} from '../../../lambdas/domain/edited-drafts.ts';

/** One owner's edit applied to each of their accounts' drafts, as the Edit modal stores it. */
function draftFor(account: string): AccountDraft {
  const common = {
    phase: 'initial' as const,
    incident: {
      id: 'Q1',
      title: 'Ingestion halted',
      severity: 'SEV1' as const,
      services: ['ingestion'],
      startedAt: '2026-11-05T15:10:00Z',
    },
    account: { name: account },
    sender: { name: 'Ada Okafor' },
    company: 'Example Analytics',
  };
  const slack = renderUpdate({ ...common, channel: 'slack' });
  const email = renderUpdate({ ...common, channel: 'email' });
  const sms = renderUpdate({ ...common, channel: 'sms' });
  return {
    accountId: account.toLowerCase(),
    slack: { text: slack.text, ...ifDefined('blocks', slack.blocks) },
    email: { subject: email.subject ?? '', text: email.text, ...ifDefined('html', email.html) },
    sms: { text: sms.text },
  };
}

describe('editing an owner’s drafts', () => {
  const acme = draftFor('Acme & Rockets');
  const bluebird = draftFor('Bluebird');

  it('offers the text without the per-account greeting, the same for every account', () => {
    const body = editableBody(acme);
    expect(body).not.toMatch(/^Hey/);
    expect(body).toMatch(/updates every 30 minutes/);
    expect(editableBody(bluebird)).toBe(body);
  });

  it('puts the edited text under each account’s own greeting and subject, escaped per channel', () => {
    const edited =
      'Ingestion is paused <for now> & we are on it.\r\n\r\nNext update in 30 minutes.\n\n\n\n— Ada';
    for (const [draft, greeting] of [
      [acme, 'Hey Acme & Rockets,'],
      [bluebird, 'Hey Bluebird,'],
    ] as const) {
      const out = withEditedBody(draft, edited);
      expect(out.email.subject).toBe(draft.email.subject);
      expect(out.email.text).toBe(
        `${greeting}\n\nIngestion is paused <for now> & we are on it.\n\nNext update in 30 minutes.\n\n— Ada`,
      );
      expect(out.email.html).toContain('Ingestion is paused &lt;for now&gt; &amp; we are on it.');
      expect(out.slack.text.split('\n\n')[0]).toBe(draft.slack.text.split('\n\n')[0]); // *subject*
      expect(out.slack.text).toContain('Ingestion is paused &lt;for now&gt; &amp; we are on it.');
      expect(out.slack.text).toContain(greeting.replace('&', '&amp;'));
      expect(out.slack.blocks).toHaveLength(5);
      expect(out.sms).toEqual(draft.sms); // SMS keeps its short drafted wording
    }
  });

  it('keeps Slack sections within Slack’s 3,000 characters', () => {
    const out = withEditedBody(acme, 'x'.repeat(7000));
    for (const block of out.slack.blocks as { text: { text: string } }[]) {
      expect(block.text.text.length).toBeLessThanOrEqual(3000);
    }
    expect(out.slack.blocks!.length).toBeGreaterThanOrEqual(4);
  });
});
