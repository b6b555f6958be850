import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRoster, planIncident, type IncidentFacts } from '../../lambdas/domain/index.ts';

const roster = parseRoster(JSON.parse(readFileSync('config/roster.example.json', 'utf8')));
const incident: IncidentFacts = {
  id: 'Q2K8ZJ4XB1YQ7M',
  title: 'Event ingestion halted in the US region',
  severity: 'SEV1',
  services: ['ingestion'],
  startedAt: '2026-11-05T15:10:00Z',
};
const at = new Date('2026-11-05T15:10:00Z');
const hhmm = (d: Date) => d.toISOString().slice(11, 16);

describe('planIncident (the dry-run’s answer)', () => {
  const plan = planIncident({ roster, incident, phase: 'initial', at });

  it('SEV1 initial: the CMOC may hold for 5 min, then every owner of an ingestion account is asked', () => {
    expect(hhmm(plan.draftsAt)).toBe('15:15');
    expect(plan.owners.map((o) => o.owner.id)).toEqual([
      'ada',
      'lena',
      'diego',
      'ines',
      'sofia',
      'kenji',
      'mei',
      'liam',
    ]);
    expect(plan.nextUpdateAt && hhmm(plan.nextUpdateAt)).toBe('15:45');
    expect(plan.unreachable).toEqual([]);
  });

  it('an available owner is asked first, then a backup after 10 min, then the CMOC after 10 more', () => {
    const ada = plan.owners.find((o) => o.owner.id === 'ada');
    expect(ada?.steps.map((s) => [hhmm(s.at), s.role])).toEqual([
      ['15:15', 'owner'],
      ['15:25', 'backup'],
      ['15:35', 'cmoc'],
    ]);
    expect(ada?.steps[1]?.person.id).not.toBe(plan.cmoc.person.id);
    expect(ada?.steps[2]?.why).toMatch(/broadcasts/);
  });

  it('an owner on PTO or off-hours is covered by a backup from the start', () => {
    const lena = plan.owners.find((o) => o.owner.id === 'lena');
    expect(lena?.availability).toEqual({ available: false, reason: 'pto' });
    expect(lena?.steps.map((s) => s.role)).toEqual(['backup', 'cmoc']);
    expect(lena?.steps[0]?.why).toMatch(/covering Lena Park, who is on PTO/);
    const kenji = plan.owners.find((o) => o.owner.id === 'kenji');
    expect(kenji?.steps[0]?.why).toMatch(/who is off-hours/);
  });

  it('a backup is never the owner or the CMOC, and every owner’s steps end with the CMOC', () => {
    for (const { owner, steps } of plan.owners) {
      const backups = steps.filter((s) => s.role === 'backup').map((s) => s.person.id);
      expect(backups).not.toContain(owner.id);
      expect(backups).not.toContain(plan.cmoc.person.id);
      expect(steps.at(-1)).toMatchObject({ role: 'cmoc', person: plan.cmoc.person });
    }
  });

  it('channels follow the severity: high-touch accounts also get SMS', () => {
    const ada = plan.owners.find((o) => o.owner.id === 'ada');
    expect(ada?.accounts.map((a) => [a.account.id, a.channels])).toEqual([
      ['acme-rockets', ['slack', 'email', 'sms']],
      ['bluebird-health', ['slack', 'email']],
    ]);
  });

  it('resolution: no hold, no next update, the write-up due 48 h after resolution', () => {
    const resolved = planIncident({
      roster,
      incident: { ...incident, resolvedAt: '2026-11-05T16:47:00Z' },
      phase: 'resolution',
      at: new Date('2026-11-05T16:48:00Z'),
    });
    expect(hhmm(resolved.draftsAt)).toBe('16:48');
    expect(resolved.nextUpdateAt).toBeUndefined();
    expect(resolved.writeUpDueBy?.toISOString()).toBe('2026-11-07T16:47:00.000Z');
  });

  it('SEV2 waits for the CMOC and has no write-up promise', () => {
    const sev2 = planIncident({ roster, incident: { ...incident, severity: 'SEV2' }, phase: 'initial', at });
    expect(sev2.draftsAt).toEqual(at);
    expect(sev2.owners[0]?.accounts[0]?.channels).toEqual(['slack']);
  });
});
