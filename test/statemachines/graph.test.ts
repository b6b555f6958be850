import { describe, expect, it } from 'vitest';
import { childMachines, parseAsl, readAslText, type AslMachine, type AslState } from '../../lib/asl.ts';
import {
  ASK_SKIPS,
  DUES,
  EVENT_ACTS,
  OWNER_DECISIONS,
  RECOVERABLE_STEPS,
  RECOVERY_DECISIONS,
  SKIPPABLE_STEPS,
} from '../../lambdas/contract/payloads.ts';
import { isCallback, transitionsOf } from './asl-checks.ts';

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

/**
 * Where a state goes next, with the failure loops followed step by step: a Pass naming a failed step
 * (`$.failure.step`) reaches the shared ask or notice and then only the Choice rule for that step, not
 * every step's. Without this the shared Choice would join every failed step's path to every other's.
 */
function nextOf(m: AslMachine, state: AslState): string[] {
  const step = (state.Parameters as { step?: unknown } | undefined)?.step;
  const task = m.States[String(state.Next)];
  if (state.Type !== 'Pass' || typeof step !== 'string' || !task) return transitionsOf(state);
  // Pass → the shared ask or notice → its Choice (or, failing, where its Catch goes).
  return transitionsOf(task).flatMap((at) => {
    const choice = m.States[at];
    const rules = (choice?.Choices ?? []) as Rule[];
    if (!choice || !rules.some((r) => r.Variable === '$.failure.step')) return [at];
    const mine = rules.filter((r) => r.Variable !== '$.failure.step' || r.StringEquals === step);
    return mine.some((r) => r.Variable === '$.failure.step')
      ? mine.map((r) => r.Next)
      : [...mine.map((r) => r.Next), String(choice.Default)];
  });
}

/** States reachable from `from` without passing a state for which `stop` holds. */
function reachableAvoiding(m: AslMachine, from: string[], stop: (s: AslState) => boolean): Set<string> {
  const seen = new Set<string>();
  const work = [...from];
  while (work.length > 0) {
    const name = work.pop()!;
    const state = m.States[name];
    if (seen.has(name) || !state) continue;
    seen.add(name);
    if (!stop(state)) work.push(...nextOf(m, state));
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
    expect(ends.map(([name]) => name).sort()).toEqual(
      ['Hand the stop to the incident', 'Work out when the next update is due'].sort(),
    );
    const last = m.States['Work out when the next update is due']!;
    expect(functionOf(last)).toBe(SCHEDULE);
    expect(last.OutputPath).toBe('$.Payload');
    // Comms stopped on a round-level step: the round still answers a whole next step, act "stop", with the
    // names and words every next step carries.
    const stop = m.States['Hand the stop to the incident']!;
    expect(Object.keys(stop.Result as object).sort()).toEqual([
      'act',
      'due',
      'inWords',
      'names',
      'stage',
      'waitSeconds',
    ]);
    expect((stop.Result as { act: string }).act).toBe('stop');
  });
});

/**
 * "A failing step never ends an incident's comms": a step that fails past its retries goes to a Pass
 * naming it, then either to the CMOC's decision, whose Try again goes back to that very step, or — for a
 * step not worth stopping for — to a notice, after which the workflow goes on as before.
 */
const WITH_RECOVERY = ['incident.asl.json', 'update-round.asl.json', 'postmortem.asl.json'] as const;
const ASK_TRY_AGAIN = '${AskTryAgainFunctionArn}';
const FAILED = 'Failed: ';
const LEFT_OUT = 'Left out: ';
const isAsk = (s: AslState) => functionOf(s) === ASK_TRY_AGAIN && isCallback(s);
const isLeftOutNotice = (s: AslState) =>
  (s.Parameters as { Payload?: { kind?: unknown } } | undefined)?.Payload?.kind === 'step_left_out';
/** A wait tried again starts with working out what is due: its time may have passed while it stood. */
const TRIED_AGAIN_THROUGH: Record<string, string> = {
  'Wait for the next update or an event': 'Work out what is due',
  'Wait for the write-up link': 'Work out when the write-up is due',
};

interface Rule {
  Variable: string;
  StringEquals: string;
  Next: string;
}

describe.each(WITH_RECOVERY.map((file) => [file, parseAsl(readAslText(file))] as const))(
  '%s: when a step fails',
  (file, top) => {
    const bodies = subMachines(top);

    it.each([
      [FAILED, isAsk],
      [LEFT_OUT, isLeftOutNotice],
    ] as const)('goes from every failed step to the Pass "%s<step>", and from there on', (prefix, then) => {
      for (const m of bodies) {
        for (const [name, s] of Object.entries(m.States)) {
          const named = (s.Parameters as { step?: unknown } | undefined)?.step;
          if (!name.startsWith(prefix) || typeof named !== 'string') continue;
          expect(name).toBe(`${prefix}${named}`);
          const from = Object.entries(m.States).filter(([, t]) => transitionsOf(t).includes(name));
          expect(
            from.map(([n]) => n),
            `${file}: who reaches "${name}"`,
          ).toEqual([named]);
          expect(then(m.States[String(s.Next)]!), `${name} → ${String(s.Next)}`).toBe(true);
        }
      }
    });

    it('tries again at the very step that failed (a wait through its scheduler), and stops on Stop comms', () => {
      for (const m of bodies) {
        const steps = namedSteps(m, FAILED);
        const choices = Object.values(m.States).filter((s) => s.Type === 'Choice' && decides(s));
        if (steps.length === 0) {
          expect(choices).toEqual([]);
          continue;
        }
        expect(choices.length, file).toBe(1);
        const rules = (choices[0]!.Choices ?? []) as Rule[];
        expect(rules[0]).toMatchObject({ Variable: '$.decision.decision', StringEquals: 'stop' });
        const routes = Object.fromEntries(
          rules.filter((r) => r.Variable === '$.failure.step').map((r) => [r.StringEquals, r.Next]),
        );
        expect(Object.keys(routes).sort()).toEqual([...steps].sort());
        for (const step of steps) expect(routes[step], step).toBe(TRIED_AGAIN_THROUGH[step] ?? step);
      }
    });

    it('tells the CMOC of a step left out and goes on, without waiting for anyone', () => {
      for (const m of bodies) {
        const steps = namedSteps(m, LEFT_OUT);
        const notices = Object.entries(m.States).filter(([, s]) => isLeftOutNotice(s));
        if (steps.length === 0) {
          expect(notices).toEqual([]);
          continue;
        }
        expect(notices.length, file).toBe(1);
        const [, task] = notices[0]!;
        // Told or not, it goes on: the notice's success and its own failure lead to the same Choice.
        expect(new Set(transitionsOf(task))).toEqual(new Set([String(task.Next)]));
        const rules = (m.States[String(task.Next)]!.Choices ?? []) as Rule[];
        expect(rules.map((r) => r.StringEquals).sort()).toEqual([...steps].sort());
        for (const rule of rules) {
          expect(rule.Variable).toBe('$.failure.step');
          expect(rule.Next, `${rule.StringEquals} goes on, never back to itself`).not.toBe(rule.StringEquals);
        }
      }
    });

    it('ends in a Fail state only when even the CMOC could not be asked', () => {
      for (const m of bodies) {
        for (const [name, s] of Object.entries(m.States)) {
          if (s.Type !== 'Fail') continue;
          for (const [from, t] of Object.entries(m.States)) {
            if (!transitionsOf(t).includes(name)) continue;
            expect(isAsk(t) || (t.Type === 'Choice' && t.Default === name), `${from} → ${name}`).toBe(true);
          }
        }
      }
    });

    it('leaves no task whose failure goes where the CMOC does not hear of it', () => {
      const quiet: string[] = [];
      for (const m of bodies) {
        for (const [name, s] of Object.entries(m.States)) {
          if (s.Type !== 'Task' || isAsk(s) || isLeftOutNotice(s)) continue;
          const all = ((s.Catch ?? []) as { ErrorEquals: string[]; Next: string }[]).find((c) =>
            c.ErrorEquals.includes('States.ALL'),
          );
          const heard = all && (all.Next.startsWith(FAILED) || all.Next.startsWith(LEFT_OUT));
          // Stopping (and reading who stopped) goes back to the CMOC's question, or ends as stopped.
          if (!heard && !/stop/i.test(name)) quiet.push(`${name} → ${all?.Next ?? 'no Catch'}`);
        }
      }
      expect(quiet).toEqual([]);
    });
  },
);

it.each([
  [FAILED, RECOVERABLE_STEPS],
  [LEFT_OUT, SKIPPABLE_STEPS],
] as const)(
  'names "%s<step>", across the machines, exactly the steps the contract lists',
  (prefix, listed) => {
    const named = WITH_RECOVERY.flatMap((file) =>
      subMachines(parseAsl(readAslText(file))).flatMap((m) => namedSteps(m, prefix)),
    );
    expect([...new Set(named)].sort()).toEqual([...listed].sort());
  },
);

function subMachines(top: AslMachine): AslMachine[] {
  const out = [top];
  for (const s of Object.values(top.States))
    for (const child of childMachines(s)) out.push(...subMachines(child));
  return out;
}

function namedSteps(m: AslMachine, prefix: string): string[] {
  return Object.entries(m.States).flatMap(([name, s]) => {
    const step = (s.Parameters as { step?: unknown } | undefined)?.step;
    return s.Type === 'Pass' && name.startsWith(prefix) && typeof step === 'string' ? [step] : [];
  });
}

const decides = (s: AslState) =>
  ((s.Choices ?? []) as { Variable?: string }[]).some((r) => r.Variable === '$.decision.decision');

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
    ['$.decision.decision', RECOVERY_DECISIONS, { retry: 'the failed step runs again (routed on its name)' }],
  ] as const)('%s', (variable, values, defaults) => {
    const branched = compared([...WITH_RECOVERY], variable);
    const expected = values.filter((v) => !(v in defaults));
    expect([...branched].sort()).toEqual([...expected].sort());
  });
});
