import { describe, expect, it } from 'vitest';
import { firstNoticeOf } from '../../lambdas/domain/first-notice.ts';
import { isOpenIncident } from '../../lambdas/domain/records/incident.ts';

describe('time to first notice', () => {
  const startedAt = '2026-11-04T14:00:00.000Z';

  it('counts from the start to the first customer told, in seconds', () => {
    expect(firstNoticeOf({ startedAt }, Date.parse('2026-11-04T14:07:30.000Z'))).toEqual({
      at: '2026-11-04T14:07:30.000Z',
      seconds: 450,
    });
  });

  it("reads the wall-clock moment on the incident's own clock", () => {
    // At wall-clock origin the incident's clock read its start, and it runs 60 times as fast.
    const clock = { at: startedAt, origin: '2026-12-01T09:00:00.000Z', rate: 60 };
    const told = firstNoticeOf({ startedAt, clock }, Date.parse('2026-12-01T09:00:10.000Z'));
    expect(told).toEqual({ at: '2026-11-04T14:10:00.000Z', seconds: 600 });
  });

  it('has none for a maintenance window, which is announced rather than noticed', () => {
    const maintenance = { system: 'db', start: startedAt, end: startedAt, regions: [] };
    expect(firstNoticeOf({ startedAt, maintenance }, Date.parse(startedAt) + 60_000)).toBeUndefined();
  });
});

describe('an open incident', () => {
  it('is neither resolved nor a maintenance window', () => {
    const maintenance = { system: 'db', start: 'a', end: 'b', regions: [] };
    expect(isOpenIncident({ status: 'triggered' })).toBe(true);
    expect(isOpenIncident({ status: 'acknowledged' })).toBe(true);
    expect(isOpenIncident({ status: 'resolved' })).toBe(false);
    expect(isOpenIncident({ status: 'triggered', maintenance })).toBe(false);
  });
});
