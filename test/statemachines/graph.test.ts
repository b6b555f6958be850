import { describe, expect, it } from 'vitest';
import { parseAsl, readAslText, type AslMachine, type AslState } from '../../lib/asl.ts';
import { ASK_SKIPS, DUES, EVENT_ACTS, OWNER_DECISIONS } from '../../lambdas/contract/payloads.ts';
import { transitionsOf } from './asl-checks.ts';

/**
 * Invariants of the workflow's graph that used to live only in comments, checked on the ASL itself.
 * The parked wait's timeout is `$.next.waitSeconds`, so whatever reaches the wait must carry a `$.next`
 * worked out since the previous wait: otherwise the incident would wait out a stale due (or spin on it).
 */
const PARK = '${ParkForEventsFunctionArn}';
const SCHEDULE = '${ScheduleFunctionArn}';

const functionOf = (s: AslState) => (s.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
const isWait = (s: AslState) => functionOf(s) === PARK;
const writesNext = (s: AslState) => s.ResultPath === '$.next';

/** States reachable from `from` without passing a state for which `stop` holds. */
function reachableAvoiding(m: AslMachine, from: string[], stop: (s: AslState) => boolean): Set<string> {
  const seen = new Set<string>();
  const work = [...from];
  while (work.length > 0) {
    const name = work.pop()!;
    const state = m.States[name];
    if (seen.has(name) || !state) continue;
    seen.add(name);
    if (!stop(state)) work.push(...transitionsOf(state));
  }
  return seen;
}

const withWaits = ['incident.asl.json', 'postmortem.asl.json'] as const;

describe.each(withWaits.map((file) => [file, parseAsl(readAslText(file))] as const))('%s', (file, m) => {
  const waits = Object.entries(m.States).filter(([, s]) => isWait(s));

  it('has a parked wait timed by $.next', () => {
    expect(waits.length, file).toBeGreaterThan(0);
    for (const [name, s] of waits) expect(s.TimeoutSecondsPath, name).toBe('$.next.waitSeconds');
  });

  it('passes the scheduler right after every wait: an event is read before anything acts on it', () => {
    for (const [name, s] of waits) {
      const next = m.States[String(s.Next)];
      expect(next && functionOf(next), `${name} → ${String(s.Next)}`).toBe(SCHEDULE);
      expect(next && writesNext(next)).toBe(true);
    }
  });

  it('never comes back to a wait without working out $.next again, on any path (timeouts included)', () => {
    for (const [name, s] of waits) {
      const back = reachableAvoiding(m, transitionsOf(s), (state) => writesNext(state) || isWait(state));
      expect(back.has(name), `a path from "${name}" returns to it with the old $.next`).toBe(false);
    }
  });

  it('works out $.next before the first wait', () => {
    const before = reachableAvoiding(m, [m.StartAt], (state) => writesNext(state) || isWait(state));
    for (const [name] of waits)
      expect(before.has(name), `StartAt reaches "${name}" with no $.next`).toBe(false);
  });

  it('lets only the scheduler, a round (which ends in it) or the hand-over write $.next', () => {
    const writers = Object.entries(m.States).filter(([, s]) => writesNext(s));
    for (const [name, s] of writers) {
      const fn = functionOf(s);
      const child = (s.Parameters as { StateMachineArn?: unknown } | undefined)?.StateMachineArn;
      expect(
        fn === SCHEDULE || fn === '${HandOverFunctionArn}' || child === '${UpdateRoundStateMachineArn}',
        name,
      ).toBe(true);
    }
  });
});

describe('update-round.asl.json', () => {
  const m = parseAsl(readAslText('update-round.asl.json'));
  it('ends every path in the scheduler, whose answer is the round output the incident waits on', () => {
    const ends = Object.entries(m.States).filter(([, s]) => s.End === true || s.Type === 'Succeed');
    expect(ends.map(([name]) => name)).toEqual(['Work out when the next update is due']);
    const [, last] = ends[0]!;
    expect(functionOf(last)).toBe(SCHEDULE);
    expect(last.OutputPath).toBe('$.Payload');
  });
});

/** Every StringEquals value compared against `variable` anywhere in the given machines. */
function compared(files: readonly string[], variable: string): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const rule = node as Record<string, unknown>;
    if (rule.Variable === variable && typeof rule.StringEquals === 'string') out.add(rule.StringEquals);
    Object.values(rule).forEach(visit);
  };
  for (const file of files) visit(parseAsl(readAslText(file)));
  return out;
}

describe('every value the code can return is branched on, or left to a Default on purpose', () => {
  // What each Default stands for; anything else the contract names must have its own branch.
  it.each([
    ['$.next.due', DUES, { recheck: 'nothing is due yet: work it out again' }],
    ['$.next.act', EVENT_ACTS, { wait: 'the event changes nothing now: park again' }],
    [
      '$.answer.decision',
      [...OWNER_DECISIONS, ...ASK_SKIPS],
      { cant: 'the backup is asked', unavailable: 'the backup is asked', no_backup: 'the CMOC fallback' },
    ],
  ] as const)('%s', (variable, values, defaults) => {
    const branched = compared(
      ['incident.asl.json', 'postmortem.asl.json', 'update-round.asl.json'],
      variable,
    );
    const expected = values.filter((v) => !(v in defaults));
    expect([...branched].sort()).toEqual([...expected].sort());
  });
});
