import { describe, expect, it } from 'vitest';
import { cmocAt } from '../../lambdas/domain/follow-the-sun.ts';
import { answeredUpdate, replyFallback, replyTargets } from '../../lambdas/domain/replies.ts';
import { parseRoster } from '../../lambdas/domain/roster.ts';
import type { AnyLogEntry } from '../../lambdas/domain/records/notification.ts';
import { exampleRoster } from '../support/rosters.ts';

/**
 * Which update a customer's message answers: the thread it was written in when that thread is ours,
 * else the newest update about an incident still open; and who hears of it.
 */
const CHANNEL = 'C0BLUEB01';
const line = (extra: Partial<AnyLogEntry> & { sentAt: string }): AnyLogEntry =>
  ({
    incidentId: 'Q1',
    round: 1,
    accountId: 'bluebird-health',
    channel: 'slack',
    recipient: CHANNEL,
    senderId: 'ada',
    status: 'sent',
    claimedAt: extra.sentAt,
    ...extra,
  }) as AnyLogEntry;

const round1 = line({ sentAt: '2026-12-01T10:00:00Z', providerId: '1764583200.000100' });
const round2 = line({
  round: 2,
  senderId: 'marcus',
  sentAt: '2026-12-01T10:30:00Z',
  providerId: '1764585000.000200',
});
const email2 = line({
  round: 2,
  channel: 'email',
  recipient: 'it@bluebird.example',
  sentAt: '2026-12-01T10:31:00Z',
});
const failed3 = line({
  round: 3,
  status: 'failed',
  sentAt: '2026-12-01T11:00:00Z',
  providerId: '1764586800.000300',
});
const broadcast = {
  broadcastId: 'b-1',
  accountId: 'bluebird-health',
  channel: 'slack',
  recipient: CHANNEL,
  senderId: 'ines',
  asCompany: true,
  status: 'sent',
  claimedAt: '2026-12-01T09:00:00Z',
  sentAt: '2026-12-01T09:00:00Z',
  providerId: '1764579600.000900',
} as AnyLogEntry;
const log = [round1, round2, email2, failed3, broadcast];
const at = '2026-12-01T12:00:00Z';
const open = () => true;
const closed = () => false;

describe('answeredUpdate', () => {
  it("a reply in an incident's thread answers the newest round the account got, even once it is resolved", () => {
    const msg = { channel: CHANNEL, ts: '1764590000.000001', threadTs: round1.providerId!, at };
    expect(answeredUpdate('bluebird-health', log, msg, open)).toBe(round2);
    expect(answeredUpdate('bluebird-health', log, msg, closed)).toBe(round2);
  });

  it("a reply in a broadcast's thread answers the broadcast", () => {
    const msg = { channel: CHANNEL, ts: '1764590000.000002', threadTs: broadcast.providerId!, at };
    expect(answeredUpdate('bluebird-health', log, msg, closed)).toBe(broadcast);
  });

  it('a message in the channel answers the newest update of an open incident, and nothing with none open', () => {
    const msg = { channel: CHANNEL, ts: '1764590000.000003', at };
    expect(answeredUpdate('bluebird-health', log, msg, open)).toBe(email2);
    expect(answeredUpdate('bluebird-health', log, msg, closed)).toBeUndefined();
  });

  it("a thread that is not ours, another channel's post or another account's line is no answer to a thread", () => {
    const own = { channel: CHANNEL, ts: '1764590000.000004', threadTs: '1764589000.000001', at };
    expect(answeredUpdate('bluebird-health', log, own, closed)).toBeUndefined();
    const elsewhere = { channel: 'C0OTHER01', ts: '1764590000.000005', threadTs: round1.providerId!, at };
    expect(answeredUpdate('bluebird-health', log, elsewhere, closed)).toBeUndefined();
    const msg = { channel: CHANNEL, ts: '1764590000.000006', threadTs: round1.providerId!, at };
    expect(answeredUpdate('acme-rockets', log, msg, open)).toBeUndefined();
  });

  it('prefers what was sent before the message; a failed send answers nothing', () => {
    const early = {
      channel: CHANNEL,
      ts: '1764584000.000001',
      threadTs: round1.providerId!,
      at: '2026-12-01T10:15:00Z',
    };
    expect(answeredUpdate('bluebird-health', log, early, open)).toBe(round1);
    const onFailed = { channel: CHANNEL, ts: '1764590000.000007', threadTs: failed3.providerId!, at };
    expect(answeredUpdate('bluebird-health', [failed3], onFailed, closed)).toBeUndefined();
  });
});

describe('replyTargets', () => {
  const roster = parseRoster(exampleRoster());
  const account = { ownerId: 'ada' };

  it("a person's send: its sender alone; a company send or a broadcast: the engagement channel too", () => {
    expect(replyTargets(roster, account, round2)).toEqual({ people: ['marcus'] });
    expect(replyTargets(roster, account, { ...round2, asCompany: true })).toEqual({
      people: ['marcus'],
      engagementChannelId: 'C0SUPPORT1',
    });
    expect(replyTargets(roster, account, broadcast, { engagementChannelId: 'C0OWNCHAN' })).toEqual({
      people: ['ines'],
      engagementChannelId: 'C0OWNCHAN',
    });
  });

  it('a sender who left the roster: the account owner; a company without an engagement channel: no channel', () => {
    expect(replyTargets(roster, account, { ...round2, senderId: 'gone' })).toEqual({ people: ['ada'] });
    const quiet = { ...roster, company: { name: roster.company.name } };
    expect(replyTargets(quiet, account, broadcast)).toEqual({ people: ['ines'] });
  });
});

describe('replyFallback', () => {
  const roster = parseRoster(exampleRoster());
  const account = { ownerId: 'ada' };
  // 10:00 in New York: the Americas CMOC on duty is marcus.
  const now = new Date('2026-12-01T15:00:00Z');

  it("the incident's CMOC first, then the CMOC on duty, then the owner: the first not skipped", () => {
    expect(cmocAt(roster, now).person.id).toBe('marcus');
    expect(replyFallback(roster, account, ['ada'], { cmocId: 'ines' }, now)).toBe('ines');
    expect(replyFallback(roster, account, ['ada', 'ines'], { cmocId: 'ines' }, now)).toBe('marcus');
    // A broadcast about no incident: the CMOC on duty, else the owner.
    expect(replyFallback(roster, account, ['lena'], undefined, now)).toBe('marcus');
    expect(replyFallback(roster, account, ['marcus'], undefined, now)).toBe('ada');
  });

  it('nobody left who does not already have it: undefined; a CMOC who left the roster is passed over', () => {
    expect(
      replyFallback(roster, account, ['ines', 'marcus', 'ada'], { cmocId: 'ines' }, now),
    ).toBeUndefined();
    expect(replyFallback(roster, account, ['ada'], { cmocId: 'gone' }, now)).toBe('marcus');
  });
});
