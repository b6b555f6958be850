import { describe, expect, it } from 'vitest';
import {
  describePlan,
  faultableFunctions,
  invocationFaults,
  LambdaFaults,
  parseFaultSeed,
  parseLambdaFaults,
  type InjectedFault,
} from '../../local/lambda-faults.ts';
import { OptionsError, optionsFromEnv } from '../../local/options.ts';
import type { InvocationFault } from '../../local/stepfunctions/index.ts';
import { FUNCTIONS } from '../../lambdas/contract/functions.ts';

const plan = (text: string) => Object.fromEntries(parseLambdaFaults(text));

describe('LAMBDA_FAULTS', () => {
  it('gives every step function the rates of *, and a named entry overrides * for its kind', () => {
    const parsed = plan('*=0.2, *=timeout:0.05 ,deliver-update=0.5,notify-cmoc=timeout:0');
    expect(Object.keys(parsed).sort()).toEqual(faultableFunctions().sort());
    expect(parsed['load-incident']).toEqual({ throw: 0.2, timeout: 0.05 });
    expect(parsed['deliver-update']).toEqual({ throw: 0.5, timeout: 0.05 });
    expect(parsed['notify-cmoc']).toEqual({ throw: 0.2, timeout: 0 });
  });

  it('leaves out functions with no fault, and an empty value means none', () => {
    expect(plan('draft-update=timeout:1')).toEqual({ 'draft-update': { throw: 0, timeout: 1 } });
    expect(plan('deliver-update=0')).toEqual({});
    expect(plan('  ')).toEqual({});
  });

  it('offers only the functions a state machine invokes', () => {
    const invoked = FUNCTIONS.filter((f) => 'substitution' in f).map((f) => f.name);
    expect(faultableFunctions()).toEqual(invoked);
    expect(faultableFunctions()).not.toContain('slack-interactions');
  });

  it.each([
    [
      'deliver-update',
      /entry 1 \("deliver-update"\): expected <function>=<rate> or <function>=timeout:<rate>/,
    ],
    ['*=0.1,,draft-update=0.2', /entry 2 \(""\) is empty/],
    [
      'deliver=0.2',
      /entry 1 \("deliver=0.2"\): no state machine invokes a function named "deliver"; use \* or one of load-incident, /,
    ],
    ['slack-interactions=0.2', /no state machine invokes a function named "slack-interactions"/],
    ['*=1.5', /entry 1 \("\*=1.5"\): the rate must be a number from 0 to 1 \(got "1.5"\)/],
    ['*=-0.1', /the rate must be a number from 0 to 1 \(got "-0.1"\)/],
    ['*=20%', /the rate must be a number from 0 to 1 \(got "20%"\)/],
    ['*=', /the rate must be a number from 0 to 1 \(got ""\)/],
    ['*=timeout:', /the rate must be a number from 0 to 1 \(got ""\)/],
    [
      '*=slow:0.1',
      /entry 1 \("\*=slow:0.1"\): "slow" is not a fault kind; write <rate> for a throw or timeout:<rate>/,
    ],
    ['*=0.1,*=0.2', /entry 2 \("\*=0.2"\): \* already has a throw rate \("\*=0.1"\)/],
    ['ask-owner=timeout:0.1,ask-owner=timeout:0.3', /entry 2 .*ask-owner already has a timeout rate/],
    [
      '*=0.7,draft-update=timeout:0.4',
      /draft-update would throw on 0.7 and time out on 0.4 of its invocations/,
    ],
  ])('refuses %j, naming the entry', (text, message) => {
    expect(() => parseLambdaFaults(text)).toThrow(message);
  });

  it('round-trips through describePlan', () => {
    const text = 'deliver-update=0.2,deliver-update=timeout:0.05,notify-cmoc=1';
    expect(describePlan(parseLambdaFaults(text))).toBe(text);
    expect(describePlan(parseLambdaFaults('*=0.2,*=timeout:0.05'))).toBe('*=0.2,*=timeout:0.05');
    const mixed = parseLambdaFaults('*=0.2,notify-cmoc=0.1');
    expect(parseLambdaFaults(describePlan(mixed))).toEqual(mixed);
    expect(describePlan(new Map())).toBe('none');
  });
});

describe('FAULT_SEED and the runtime options', () => {
  it('takes a whole number seed', () => {
    expect(parseFaultSeed('42')).toBe(42);
    expect(parseFaultSeed('4294967295')).toBe(4294967295);
    for (const bad of ['-1', '1.5', 'abc', '4294967296', ''])
      expect(() => parseFaultSeed(bad)).toThrow(
        `FAULT_SEED must be a whole number from 0 to 4294967295 (got "${bad}")`,
      );
  });

  it('reads both from the environment, and a bad value refuses to start with the same message', () => {
    const options = optionsFromEnv({ LAMBDA_FAULTS: '*=0.2', FAULT_SEED: '7' });
    expect(options.faultSeed).toBe(7);
    expect(options.lambdaFaults?.get('deliver-update')).toEqual({ throw: 0.2, timeout: 0 });
    expect(optionsFromEnv({})).not.toHaveProperty('lambdaFaults');
    expect(() => optionsFromEnv({ LAMBDA_FAULTS: 'deliver=0.2' })).toThrow(OptionsError);
    expect(() => optionsFromEnv({ LAMBDA_FAULTS: 'deliver=0.2' })).toThrow(
      /LAMBDA_FAULTS entry 1 \("deliver=0.2"\)/,
    );
    expect(() => optionsFromEnv({ FAULT_SEED: 'x' })).toThrow(OptionsError);
  });
});

const fates = (faults: LambdaFaults, fn: string, n: number): (InjectedFault | undefined)[] =>
  Array.from({ length: n }, () => faults.decide(fn));

describe('the injector', () => {
  it('repeats the same faults for the same seed and plan, and others for another seed', () => {
    const spec = '*=0.2,*=timeout:0.05';
    const a = fates(new LambdaFaults(spec, 7), 'deliver-update', 200);
    expect(fates(new LambdaFaults(spec, 7), 'deliver-update', 200)).toEqual(a);
    expect(fates(new LambdaFaults(spec, 8), 'deliver-update', 200)).not.toEqual(a);
  });

  it("gives each function its own sequence: one's calls never shift another's faults", () => {
    const alone = new LambdaFaults('*=0.3', 3);
    const mixed = new LambdaFaults('*=0.3', 3);
    const expected = fates(alone, 'draft-update', 50);
    const got: (InjectedFault | undefined)[] = [];
    for (let i = 0; i < 50; i++) {
      fates(mixed, 'notify-cmoc', i % 3);
      got.push(mixed.decide('draft-update'));
    }
    expect(got).toEqual(expected);
  });

  it('injects about the rates asked for, throws before and after the handler alike, and counts them', () => {
    const faults = new LambdaFaults('*=0.2,*=timeout:0.05', 11);
    fates(faults, 'deliver-update', 4000);
    const { invocations, ...kinds } = faults.counts()['deliver-update']!;
    expect(invocations).toBe(4000);
    expect((kinds['throw-before'] + kinds['throw-after']) / invocations).toBeCloseTo(0.2, 1);
    expect(kinds.timeout / invocations).toBeCloseTo(0.05, 1);
    expect(Math.abs(kinds['throw-before'] - kinds['throw-after'])).toBeLessThan(0.1 * invocations * 0.2);
    expect(faults.totals()).toEqual({ invocations: 4000, ...kinds });
  });

  it('set replaces the plan and restarts the sequences; clear stops faults and keeps the counts', () => {
    const faults = new LambdaFaults('', 5);
    expect(fates(faults, 'notify-cmoc', 20)).toEqual(Array(20).fill(undefined));
    expect(faults.counts()).toEqual({
      'notify-cmoc': { invocations: 20, 'throw-before': 0, 'throw-after': 0, timeout: 0 },
    });
    faults.set('notify-cmoc=1');
    expect(fates(faults, 'notify-cmoc', 3).every((f) => f === 'throw-before' || f === 'throw-after')).toBe(
      true,
    );
    faults.set('notify-cmoc=0.5');
    const first = fates(faults, 'notify-cmoc', 30);
    faults.set('notify-cmoc=0.5');
    expect(fates(faults, 'notify-cmoc', 30)).toEqual(first);
    faults.clear();
    expect(faults.decide('notify-cmoc')).toBeUndefined();
    expect(faults.counts()['notify-cmoc']?.invocations).toBe(84);
    expect(() => faults.set('nobody=1')).toThrow(/no state machine invokes a function named "nobody"/);
  });

  it('reports each fault to the engine the way AWS would see it', () => {
    const hook = invocationFaults(new LambdaFaults('draft-update=1', 1), 'incident-comms');
    const seen = Array.from({ length: 40 }, () => hook('incident-comms-draft-update'));
    const before = seen.find((f) => f?.kind === 'fail-before');
    const after = seen.find((f) => f?.kind === 'fail-after');
    const message = (f: InvocationFault | undefined) => (f && 'errorMessage' in f ? f.errorMessage : '');
    expect(before).toMatchObject({ errorType: 'Error' });
    expect(message(before)).toMatch(
      /draft-update failed before doing anything \(injected by LAMBDA_FAULTS\)/,
    );
    expect(after).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(message(after)).toMatch(/^RequestId: \S+ Error: Runtime exited with error: signal: killed/);
    expect(hook('incident-comms-notify-cmoc')).toBeUndefined();
    expect(hook('someone-else-draft-update')).toBeUndefined();
    const timeouts = invocationFaults(new LambdaFaults('deliver-update=timeout:1', 1), 'incident-comms');
    const deliver = FUNCTIONS.find((f) => f.name === 'deliver-update')!;
    expect(timeouts('incident-comms-deliver-update')).toMatchObject({
      kind: 'overrun',
      functionTimeoutSeconds: deliver.timeoutSeconds,
    });
  });
});
