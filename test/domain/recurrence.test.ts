import { describe, expect, it } from 'vitest';
import {
  checkTone,
  renderUpdate,
  type Channel,
  type IncidentFacts,
  type Severity,
} from '../../lambdas/domain/index.ts';

/** A reopened incident's first message says it is back, in every channel, in words the tone check accepts. */
const BASE: IncidentFacts = {
  id: 'Q2K8ZJ4XB1YQ7M',
  title: 'Event ingestion halted in the US region',
  severity: 'SEV1',
  services: ['ingestion'],
  startedAt: '2026-11-05T15:10:00Z',
  feature: 'event ingestion',
};

function first(severity: Severity, channel: Channel, recurred: boolean) {
  return renderUpdate({
    phase: 'initial',
    channel,
    account: { name: 'Acme Rockets' },
    sender: { name: 'Ada' },
    company: 'Example Analytics',
    incident: { ...BASE, severity, ...(recurred ? { recurred: true } : {}) },
  });
}

describe.each(['SEV1', 'SEV2', 'SEV3'] as const)('%s, reopened', (severity) => {
  it('says in email and Slack that the problem is back', () => {
    for (const channel of ['email', 'slack'] as const) {
      const message = first(severity, channel, true);
      expect(message.text, channel).toContain(
        'The problem with event ingestion that we told you was fixed has come back.',
      );
      expect(
        checkTone(message.text, { severity, phase: 'initial', company: 'Example Analytics' }),
        channel,
      ).toEqual([]);
    }
    expect(first(severity, 'email', true).subject).toMatch(/^Back again – /);
  });

  it('says it in the text message too, within three segments', () => {
    const sms = first(severity, 'sms', true);
    expect(sms.text).toMatch(/^Example Analytics \(back again\)/);
    expect(sms.smsSegments).toBeLessThanOrEqual(3);
  });

  it('says nothing of the kind for an incident that was never resolved', () => {
    for (const channel of ['email', 'slack', 'sms'] as const)
      expect(first(severity, channel, false).text, channel).not.toMatch(/back again|has come back/i);
  });
});
