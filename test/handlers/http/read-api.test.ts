import { describe, expect, it } from 'vitest';
import type { AnyLogEntry } from '../../../lambdas/domain/records/notification.ts';
import { tallyTold, whoWasTold } from '../../../lambdas/domain/told.ts';
import { exportRows, toCsv, untoldRows } from '../../../lambdas/handlers/http/read-api/export.ts';

const base = { senderId: 'ada', claimedAt: '2026-11-25T10:00:00.000Z', incidentId: 'Q1', round: 1 } as const;
const entries: AnyLogEntry[] = [
  {
    ...base,
    accountId: 'a',
    channel: 'slack',
    recipient: 'C1',
    status: 'sent',
    sentAt: '2026-11-25T10:00:01.000Z',
    providerId: '1.2',
  },
  {
    ...base,
    accountId: 'a',
    channel: 'email',
    recipient: 'x@a.example',
    status: 'failed',
    error: 'ses: MessageRejected',
  },
  {
    ...base,
    accountId: 'b',
    channel: 'email',
    recipient: 'y@b.example',
    status: 'failed',
    error: '=HYPERLINK("http://evil")',
  },
  {
    ...base,
    accountId: 'c',
    channel: 'sms',
    recipient: '+15555550101',
    status: 'retrying',
    error: 'Twilio answered 500',
  },
];

describe('who has been told, from the log', () => {
  it('notified when anything got through, failed when nothing did and nothing is trying, else pending', () => {
    const statuses = whoWasTold(['a', 'b', 'c', 'd'], entries);
    expect(statuses.map((s) => [s.accountId, s.state])).toEqual([
      ['a', 'notified'],
      ['b', 'failed'],
      ['c', 'pending'],
      ['d', 'pending'],
    ]);
    expect(statuses[0]).toMatchObject({ via: ['slack'], sentBy: 'ada', failures: [{ channel: 'email' }] });
    expect(statuses[2]).toMatchObject({ state: 'pending', inFlight: 1 });
    expect(tallyTold(statuses)).toEqual({ notified: 1, failed: 1, pending: 2, total: 4 });
  });

  it('an account nobody has sent to yet gets a pending row of its own in the export', () => {
    const rows = untoldRows(
      whoWasTold(['a', 'b', 'c', 'd'], entries),
      { incidentId: 'Q1', round: 1 },
      undefined,
    );
    expect(rows).toEqual([
      expect.objectContaining({ account_id: 'd', status: 'pending', round: 1, channel: null }),
    ]);
  });
});

describe('CSV export', () => {
  it('one header and one row per entry, quoted where needed, formulas defused, phone numbers kept', () => {
    const csv = toCsv(exportRows(entries, undefined));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(entries.length + 1);
    expect(lines[0]).toBe(
      'kind,incident_id,round,broadcast_id,account_id,account_name,channel,recipient,sender_id,sender_name,as_company,status,claimed_at,sent_at,provider_id,attempts,error,delivery_status,delivery_error,delivered_at',
    );
    expect(lines[3]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[4]).toContain(',+15555550101,');
    expect(lines[1]).toMatch(/^update,Q1,1,,a,,slack,C1,ada,,false,sent,/);
  });
});
