import { describe, expect, it } from 'vitest';
import { DUES, EVENT_ACTS, STAGES } from '../../lambdas/contract/payloads.ts';
import { scheduleInWords } from '../../lambdas/domain/schedule-words.ts';

describe('the schedule in words', () => {
  it('says what is due and when', () => {
    expect(scheduleInWords({ stage: 'active', due: 'update', waitSeconds: 1800, act: 'wait' })).toBe(
      'Customers are being kept informed: the next update is due in 30 min.',
    );
    expect(
      scheduleInWords({ stage: 'postmortem', due: 'writeup_given_up', waitSeconds: 97 * 60, act: 'wait' }),
    ).toBe(
      'The incident is resolved; waiting for the write-up: the write-up follow-up ends without the write-up, and the CMOC is told in 1 h 37 min.',
    );
  });

  it('says what an event calls for, now', () => {
    expect(scheduleInWords({ stage: 'active', due: 'update', waitSeconds: 5, act: 'resolve' })).toBe(
      'Customers are being kept informed: the incident is resolved, so the resolution update goes out now.',
    );
    expect(scheduleInWords({ stage: 'closed', due: 'recheck', waitSeconds: 1, act: 'wait' })).toBe(
      'Comms are closed.',
    );
  });

  it('never shows a code the Choice states compare against', () => {
    const codes = new Set<string>([...STAGES, ...DUES, ...EVENT_ACTS].filter((c) => c.includes('_')));
    for (const stage of STAGES)
      for (const due of DUES)
        for (const act of EVENT_ACTS) {
          const words = scheduleInWords({ stage, due, waitSeconds: 60, act });
          expect(words).toMatch(/^[A-Z].*\.$/);
          expect(words).not.toMatch(/_/);
          for (const code of codes) expect(words).not.toContain(code);
        }
  });
});
