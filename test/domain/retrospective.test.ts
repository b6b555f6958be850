import { describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../lambdas/domain/records/incident.ts';
import type { BroadcastLogEntry, LogEntry } from '../../lambdas/domain/records/notification.ts';
import { retrospectiveOf, type RetrospectiveInput } from '../../lambdas/domain/retrospective.ts';

/**
 * A SEV1 (30-minute cadence by default) with three rounds and a resolution, told to four accounts by hand-
 * built log lines: one kept to every promise by its owner, one late and covered by a backup, one whose
 * email failed and whose second update went out as the company, and one nobody reached.
 */
const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

const roster: RetrospectiveInput['roster'] = {
  accounts: [
    { id: 'kept', ownerId: 'ada' },
    { id: 'late', ownerId: 'bob' },
    { id: 'broken', ownerId: 'cy' },
    { id: 'silent', ownerId: 'ada' },
  ] as RetrospectiveInput['roster']['accounts'],
  regions: {
    americas: { backups: ['bea'], cmoc: ['cam'] },
    emea: { backups: ['ben'], cmoc: ['cleo'] },
    apac: { backups: ['bo'], cmoc: ['cho'] },
  } as unknown as RetrospectiveInput['roster']['regions'],
};

const incident: IncidentRecord = {
  incidentId: 'QRETRO',
  title: 'Exports are failing',
  severity: 'SEV1',
  status: 'resolved',
  services: ['exports'],
  regions: [],
  source: 'pagerduty',
  startedAt: at(0),
  resolvedAt: at(95),
  cmocId: 'cam',
  executionName: 'incident-QRETRO',
  rounds: 4,
};

const ALL = ['kept', 'late', 'broken', 'silent'];
const rounds: RetrospectiveInput['rounds'] = [
  { round: 1, phase: 'initial', accountIds: ALL },
  { round: 2, phase: 'update', accountIds: ALL },
  { round: 3, phase: 'update', accountIds: ALL },
  { round: 4, phase: 'resolution', accountIds: ALL },
];

function line(
  round: number,
  accountId: string,
  minute: number,
  senderId: string,
  extra: Partial<LogEntry> = {},
) {
  return {
    incidentId: 'QRETRO',
    round,
    accountId,
    channel: 'slack',
    recipient: `C-${accountId}`,
    senderId,
    status: 'sent',
    claimedAt: at(minute),
    sentAt: at(minute),
    ...extra,
  } as LogEntry;
}

const log: LogEntry[] = [
  // kept: 6 min to first message, then every update within its 30 minutes.
  line(1, 'kept', 6, 'ada'),
  line(2, 'kept', 35, 'ada'),
  line(3, 'kept', 64, 'ada'),
  line(4, 'kept', 93, 'ada'),
  // late: first at 12 min by the owner; round 2 by a backup 40 min later (10 late); then on time.
  line(1, 'late', 12, 'bob'),
  line(2, 'late', 52, 'bea'),
  line(3, 'late', 80, 'bob'),
  line(4, 'late', 96, 'cam'),
  // broken: its email fails in round 1 while Slack gets through; round 2 reaches nobody; round 3 goes
  // out as the company; the resolution never reaches them, so round 3's promise is missed.
  line(1, 'broken', 8, 'cy'),
  line(1, 'broken', 8, 'cy', {
    channel: 'email',
    recipient: 'ops@broken.example',
    status: 'failed',
    error: 'ses: MessageRejected',
  }),
  line(2, 'broken', 40, 'cy', { status: 'failed', error: 'channel_not_found' }),
  line(3, 'broken', 70, 'cam', { asCompany: true }),
  line(4, 'broken', 95, 'cy', { status: 'failed', error: 'channel_not_found' }),
];

describe('the comms retrospective', () => {
  const retro = retrospectiveOf({ incident, rounds, log, roster, replies: [{ accountId: 'late' }] });
  const of = (id: string) => retro.accounts.find((a) => a.accountId === id)!;

  it('counts minutes from the start to each account’s first message', () => {
    expect(ALL.map((id) => of(id).minutesToFirstMessage)).toEqual([6, 12, 8, undefined]);
    expect(retro.summary).toMatchObject({ accounts: 4, told: 3, neverTold: 1 });
    expect(retro.summary.firstMessage).toEqual({ medianMinutes: 8, longestMinutes: 12 });
  });

  it('judges each update against the 30 minutes the previous one promised', () => {
    expect(of('kept').updates.map((u) => u.timing)).toEqual(['first', 'on_time', 'on_time', 'on_time']);
    const late = of('late').updates;
    expect(late.map((u) => u.timing)).toEqual(['first', 'late', 'on_time', 'on_time']);
    expect(late[1]).toMatchObject({ promised: { minutes: 30, dueAt: at(42) }, lateByMinutes: 10 });
    expect(of('broken').updates.map((u) => [u.round, u.timing, u.lateByMinutes])).toEqual([
      [1, 'first', undefined],
      [3, 'late', 32],
    ]);
  });

  it('names a promise the closed incident never kept', () => {
    expect(of('broken').missed).toEqual({ afterRound: 3, dueAt: at(100) });
    expect(of('kept').missed).toBeUndefined();
    expect(retro.summary).toMatchObject({ onTime: 5, late: 2, missed: 1 });
  });

  it('says who sent each update and how often the owner was covered', () => {
    expect(of('late').updates.map((u) => u.sentBy)).toEqual(['owner', 'backup', 'owner', 'cmoc']);
    expect(of('broken').updates.map((u) => u.sentBy)).toEqual(['owner', 'company']);
    expect([of('kept').covered, of('late').covered, of('broken').covered]).toEqual([0, 2, 1]);
    expect(retro.summary.bySender).toEqual({ owner: 7, backup: 1, cmoc: 1, company: 1, broadcast: 0 });
    expect(retro.summary.covered).toBe(3);
  });

  it('lists failures per round without addresses, the rounds that reached nobody, and the replies', () => {
    expect(of('broken').failures).toEqual([
      { round: 1, channel: 'email', error: 'ses: MessageRejected' },
      { round: 2, channel: 'slack', error: 'channel_not_found' },
      { round: 4, channel: 'slack', error: 'channel_not_found' },
    ]);
    expect(JSON.stringify(retro)).not.toContain('ops@broken.example');
    expect(of('broken').roundsNotReached).toEqual([2, 4]);
    expect(of('silent')).toMatchObject({ updates: [], roundsNotReached: [], replies: 0 });
    expect(retro.summary).toMatchObject({ failures: 3, replies: 1 });
  });

  it('reads the log on the incident’s own clock', () => {
    // At wall-clock origin the incident's clock read its start, and it runs 60 times as fast.
    const clock = { at: at(0), origin: '2026-12-01T09:00:00.000Z', rate: 60 };
    const wall = (seconds: number) => new Date(Date.parse(clock.origin) + seconds * 1000).toISOString();
    const fast = retrospectiveOf({
      incident: { ...incident, clock },
      rounds: rounds.slice(0, 2),
      log: [line(1, 'kept', 0, 'ada', { sentAt: wall(5) }), line(2, 'kept', 0, 'ada', { sentAt: wall(45) })],
      roster,
    });
    const kept = fast.accounts.find((a) => a.accountId === 'kept')!;
    expect(kept.minutesToFirstMessage).toBe(5);
    expect(kept.updates[1]).toMatchObject({ timing: 'late', lateByMinutes: 10 });
  });

  it('a broadcast about the incident is a message the account got, from the company, outside the cadence', () => {
    const broadcastLine = (accountId: string, minute: number, extra: Partial<BroadcastLogEntry> = {}) =>
      ({
        broadcastId: 'b-1',
        incidentId: 'QRETRO',
        accountId,
        channel: 'slack',
        recipient: `C-${accountId}`,
        senderId: 'cam',
        asCompany: true,
        status: 'sent',
        claimedAt: at(minute),
        sentAt: at(minute),
        ...extra,
      }) as BroadcastLogEntry;
    const withBroadcast = retrospectiveOf({
      incident,
      rounds,
      log,
      roster,
      broadcasts: [
        {
          broadcastId: 'b-1',
          log: [
            broadcastLine('silent', 3),
            broadcastLine('late', 2, { status: 'failed', error: 'not_in_channel' }),
          ],
        },
      ],
    });
    const silent = withBroadcast.accounts.find((a) => a.accountId === 'silent')!;
    expect(silent.minutesToFirstMessage).toBe(3);
    expect(silent.updates).toEqual([
      expect.objectContaining({ phase: 'broadcast', sentBy: 'broadcast', timing: 'unpromised' }),
    ]);
    expect(silent.covered).toBe(0);
    const late = withBroadcast.accounts.find((a) => a.accountId === 'late')!;
    expect(late.failures).toContainEqual({ broadcastId: 'b-1', channel: 'slack', error: 'not_in_channel' });
    // The rounds' cadence is judged as before: the broadcast neither keeps nor makes their promise.
    expect(withBroadcast.summary).toMatchObject({ told: 4, neverTold: 0, onTime: 5, late: 2, covered: 3 });
    expect(withBroadcast.summary.bySender.broadcast).toBe(1);
  });

  it('an update counts from when it first reached someone at the account, not a later channel', () => {
    const slow = retrospectiveOf({
      incident,
      rounds: rounds.slice(0, 2),
      log: [
        line(1, 'kept', 5, 'ada'),
        line(2, 'kept', 30, 'ada'),
        // The email of round 2 got through only after retries, well past the promise.
        line(2, 'kept', 50, 'ada', { channel: 'email', recipient: 'ops@kept.example' }),
      ],
      roster,
    });
    const kept = slow.accounts.find((a) => a.accountId === 'kept')!;
    expect(kept.updates[1]).toMatchObject({ at: at(30), timing: 'on_time', via: ['slack', 'email'] });
  });

  it('promises nothing below SEV2, so no update there is late', () => {
    const sev3 = retrospectiveOf({ incident: { ...incident, severity: 'SEV3' }, rounds, log, roster });
    expect(sev3.summary).toMatchObject({ onTime: 0, late: 0, missed: 0 });
    expect(sev3.accounts[0]!.updates.slice(1).every((u) => u.timing === 'unpromised')).toBe(true);
  });

  it('judges each update by what its round promised when drafted, not by the severity at the close', () => {
    // Drafted at SEV1 (30 minutes promised), then lowered to SEV3 before the close.
    const promised = rounds.map((r) => ({ ...r, promisedMinutes: r.phase === 'resolution' ? null : 30 }));
    const lowered = retrospectiveOf({
      incident: { ...incident, severity: 'SEV3' },
      rounds: promised,
      log,
      roster,
    });
    const asDrafted = retrospectiveOf({ incident, rounds: promised, log, roster });
    expect(lowered.summary).toMatchObject({ onTime: asDrafted.summary.onTime, late: asDrafted.summary.late });
    expect(lowered.summary.late).toBeGreaterThan(0);
    // And a round that promised nothing stays unpromised though the incident is now a SEV1.
    const quiet = rounds.map((r) => ({ ...r, promisedMinutes: null }));
    const raised = retrospectiveOf({ incident, rounds: quiet, log, roster });
    expect(raised.summary).toMatchObject({ onTime: 0, late: 0, missed: 0 });
  });

  it('a round that opened with a company broadcast: the broadcast is that round’s update, and its promise holds', () => {
    const opened = [
      { ...rounds[0]!, accountIds: [], broadcastId: 'b-start', promisedMinutes: 30 },
      ...rounds.slice(1),
    ];
    const retro = retrospectiveOf({
      incident,
      rounds: opened,
      log: [line(2, 'kept', 31, 'ada'), line(2, 'late', 50, 'bob')],
      roster,
      broadcasts: [
        {
          broadcastId: 'b-start',
          log: ['kept', 'late'].map((accountId) => ({
            broadcastId: 'b-start',
            accountId,
            channel: 'slack',
            recipient: `C-${accountId}`,
            senderId: 'cam',
            status: 'sent',
            claimedAt: at(2),
            sentAt: at(2),
          })),
        },
      ],
    });
    const kept = retro.accounts.find((a) => a.accountId === 'kept')!;
    expect(kept.minutesToFirstMessage).toBe(2);
    expect(kept.updates[0]).toMatchObject({
      round: 1,
      phase: 'initial',
      sentBy: 'broadcast',
      timing: 'first',
    });
    expect(kept.updates[1]).toMatchObject({ round: 2, timing: 'on_time' });
    expect(kept.covered).toBe(0);
    const late = retro.accounts.find((a) => a.accountId === 'late')!;
    expect(late.updates[1]).toMatchObject({ round: 2, timing: 'late', lateByMinutes: 18 });
  });

  it('counts each correction that reached an account once, whatever its recipients', () => {
    const correction = (accountId: string, id: string, extra: Partial<LogEntry> = {}) =>
      line(2, accountId, 40, 'ada', { correction: id, ...extra });
    const retro = retrospectiveOf({
      incident,
      rounds,
      log,
      roster,
      corrections: [
        correction('kept', 'c1'),
        correction('kept', 'c1', { channel: 'email', recipient: 'ops@kept.example' }),
        correction('kept', 'c2'),
        correction('late', 'c1', { status: 'failed', error: 'not_in_channel' }),
      ],
    });
    expect(retro.accounts.find((a) => a.accountId === 'kept')?.corrections).toBe(2);
    expect(retro.accounts.find((a) => a.accountId === 'late')?.corrections).toBe(0);
    expect(retro.summary.corrections).toBe(2);
    // A correction is never a telling: the cadence reads as without them.
    expect(retro.summary.updates).toBe(retrospectiveOf({ incident, rounds, log, roster }).summary.updates);
  });
});
