import { describe, expect, it } from 'vitest';
import {
  isUntold,
  tallyTold,
  toldByLatestRound,
  toldOf,
  whoWasTold,
  type ToldEntry,
} from '../../lambdas/domain/told.ts';

const entry = (
  status: ToldEntry['status'],
  extra: Partial<ToldEntry> & { round?: number } = {},
): ToldEntry & { round?: number } => ({
  accountId: 'a',
  channel: 'slack',
  recipient: 'C1',
  senderId: 'ada',
  status,
  claimedAt: '2026-11-25T10:00:00.000Z',
  ...(status === 'sent' || status === 'sent_by_owner' ? { sentAt: '2026-11-25T10:00:01.000Z' } : {}),
  ...extra,
});

describe('toldOf: one account from its own entries', () => {
  it.each([
    ['nothing logged: not told yet', [], 'pending', 0],
    ['claimed by an attempt: in flight', [entry('claimed')], 'pending', 1],
    ['waiting for a retry: in flight', [entry('retrying', { error: 'Twilio answered 500' })], 'pending', 1],
    ['sent', [entry('sent')], 'notified', 0],
    ['the owner sent it themselves', [entry('sent_by_owner')], 'notified', 0],
    ['failed for good, nothing else trying', [entry('failed', { error: 'x' })], 'failed', 0],
    [
      'one recipient failed, another still trying: not failed yet',
      [entry('failed', { channel: 'email' }), entry('retrying', { channel: 'sms' })],
      'pending',
      1,
    ],
    [
      'one recipient got it, another failed: notified, the failure kept',
      [entry('sent'), entry('failed', { channel: 'email', recipient: 'x@a.example', error: 'bounced' })],
      'notified',
      0,
    ],
    [
      'one recipient got it, another still in flight: notified',
      [entry('claimed', { channel: 'email' }), entry('sent')],
      'notified',
      1,
    ],
  ] as const)('%s', (_label, entries, state, inFlight) => {
    const told = toldOf('a', entries);
    expect(told.state).toBe(state);
    expect(told.inFlight).toBe(inFlight);
    expect(isUntold(told)).toBe(entries.length === 0);
  });

  it('via every channel that got through; sentBy the first to get it, sentAt the last', () => {
    const told = toldOf('a', [
      entry('sent', { channel: 'email', senderId: 'marcus', sentAt: '2026-11-25T10:05:00.000Z' }),
      entry('sent', { channel: 'slack', senderId: 'ada', sentAt: '2026-11-25T10:01:00.000Z' }),
      entry('failed', { channel: 'sms', recipient: '+15555550101' }),
    ]);
    expect(told).toEqual({
      accountId: 'a',
      state: 'notified',
      via: ['slack', 'email'],
      sentBy: 'ada',
      sentAt: '2026-11-25T10:05:00.000Z',
      failures: [{ channel: 'sms', recipient: '+15555550101', error: 'failed' }],
      inFlight: 0,
    });
  });
});

describe('whoWasTold: every account of the audience counts', () => {
  it('accounts nobody has sent to yet are pending; the tally counts them', () => {
    const told = whoWasTold(['a', 'b', 'c', 'd'], [entry('sent'), entry('failed', { accountId: 'b' })]);
    expect(told.map((t) => [t.accountId, t.state])).toEqual([
      ['a', 'notified'],
      ['b', 'failed'],
      ['c', 'pending'],
      ['d', 'pending'],
    ]);
    expect(tallyTold(told)).toEqual({ notified: 1, pending: 2, failed: 1, total: 4 });
  });

  it('an account logged outside the audience still counts, after it; one listed twice counts once', () => {
    const told = whoWasTold(['a', 'a'], [entry('sent', { accountId: 'z' })]);
    expect(told.map((t) => [t.accountId, t.state])).toEqual([
      ['a', 'pending'],
      ['z', 'notified'],
    ]);
  });

  it('no audience: the accounts the entries name', () => {
    expect(
      whoWasTold([], [entry('sent'), entry('sent', { accountId: 'b' })]).map((t) => t.accountId),
    ).toEqual(['a', 'b']);
  });
});

describe('toldByLatestRound: where every account stands now', () => {
  it('each account in the latest round it was in, on that round’s entries only', () => {
    const rounds = [
      { round: 2, accountIds: ['a', 'b'] },
      { round: 1, accountIds: ['a', 'b', 'c'] },
    ];
    const told = toldByLatestRound(rounds, [
      entry('sent', { round: 1 }),
      entry('sent', { round: 1, accountId: 'b' }),
      entry('sent', { round: 1, accountId: 'c' }),
      entry('sent', { round: 2, accountId: 'b' }),
    ]);
    expect(told.map((t) => [t.accountId, t.round, t.state])).toEqual([
      // Told in round 1, not yet in round 2: it has not heard the latest.
      ['a', 2, 'pending'],
      ['b', 2, 'notified'],
      // Not in round 2 (no longer affected): where round 1 left it.
      ['c', 1, 'notified'],
    ]);
  });
});
