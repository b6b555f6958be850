import { describe, expect, it } from 'vitest';
import { parseAsl, placeholdersIn, readAslText } from '../../lib/asl.ts';
import type { AslMachine } from '../../lib/asl.ts';
import { FUNCTIONS, STATE_MACHINES } from '../../lambdas/contract/functions.ts';
import {
  LAMBDA_TRANSIENT_ERRORS,
  allProblems,
  checkLocallySupported,
  checkReachable,
  checkStepRetries,
  checkTaskTimeoutsCoverFunctions,
  checkTasks,
  checkTransitionTargets,
  checkUniqueNames,
  validateWithAslValidator,
} from './asl-checks.ts';

const FUNCTION_TIMEOUTS = new Map(
  FUNCTIONS.flatMap((f) => ('substitution' in f ? [[f.substitution, f.timeoutSeconds] as const] : [])),
);
const KNOWN_PLACEHOLDERS = new Set<string>([
  ...FUNCTION_TIMEOUTS.keys(),
  ...STATE_MACHINES.map((m) => m.substitution),
]);

describe.each(STATE_MACHINES.map((m) => [m.file, parseAsl(readAslText(m.file))] as const))(
  '%s',
  (file, machine) => {
    it('passes asl-validator', () => expect(validateWithAslValidator(machine)).toEqual([]));
    it('only goes to states that exist', () => expect(checkTransitionTargets(machine)).toEqual([]));
    it('reaches every state from StartAt, inside Map and Parallel too', () =>
      expect(checkReachable(machine)).toEqual([]));
    it('names every state once across the whole machine', () =>
      expect(checkUniqueNames(machine)).toEqual([]));
    it('retries Lambda transient errors and bounds every Lambda and callback task', () =>
      expect(checkTasks(machine)).toEqual([]));
    it('uses nothing the local interpreter ignores', () =>
      expect(checkLocallySupported(machine)).toEqual([]));
    it('retries every step after its own failure and time-out, never a callback time-out', () =>
      expect(checkStepRetries(machine)).toEqual([]));
    it("gives each Lambda task at least its function's own timeout", () =>
      expect(checkTaskTimeoutsCoverFunctions(machine, FUNCTION_TIMEOUTS)).toEqual([]));
    it('uses only placeholders the stack can substitute', () => {
      const unknown = [...placeholdersIn(readAslText(file))].filter((p) => !KNOWN_PLACEHOLDERS.has(p));
      expect(unknown).toEqual([]);
    });
  },
);

/** A small valid machine with a Lambda task inside a Map; each case below breaks one thing. */
function sample(): AslMachine {
  const lambdaTask = (next: string | null, extra: Record<string, unknown> = {}) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: '${DraftUpdateFunctionArn}', 'Payload.$': '$' },
    TimeoutSeconds: 60,
    Retry: [
      { ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS], MaxAttempts: 3, BackoffRate: 2 },
      { ErrorEquals: ['States.TaskFailed', 'States.Timeout'], BackoffRate: 2, JitterStrategy: 'FULL' },
    ],
    ...(next ? { Next: next } : { End: true }),
    ...extra,
  });
  return {
    StartAt: 'Draft',
    States: {
      Draft: lambdaTask('Each owner', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }] }),
      'Each owner': {
        Type: 'Map',
        ItemsPath: '$.owners',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Ask',
          States: {
            Ask: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: {
                FunctionName: '${AskToSendFunctionArn}',
                Payload: { 'token.$': '$$.Task.Token' },
              },
              TimeoutSecondsPath: '$.timeoutSeconds',
              Retry: [
                { ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS] },
                { ErrorEquals: ['States.TaskFailed'], BackoffRate: 2, JitterStrategy: 'FULL' },
              ],
              Next: 'Decide',
            },
            Decide: {
              Type: 'Choice',
              Choices: [{ Variable: '$.send', BooleanEquals: true, Next: 'Deliver' }],
              Default: 'Skip',
            },
            Deliver: lambdaTask(null, { TimeoutSeconds: 150 }),
            Skip: { Type: 'Pass', End: true },
          },
        },
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
      Failed: { Type: 'Fail', Error: 'Failed' },
    },
  };
}

type Mutable = Record<string, Record<string, unknown>>;
const inner = (m: AslMachine): Mutable =>
  (m.States['Each owner']!.ItemProcessor as { States: Mutable }).States;
const top = (m: AslMachine): Mutable => m.States;

describe('the checks catch broken definitions', () => {
  it('accept the valid sample', () => expect(allProblems(sample(), FUNCTION_TIMEOUTS)).toEqual([]));

  it.each<[string, (m: AslMachine) => void, RegExp]>([
    ['an invalid state type (asl-validator)', (m) => void (top(m).Done!.Type = 'Succeeded'), /.+/],
    ['a Next to a missing state', (m) => void (top(m).Draft!.Next = 'Nowhere'), /Draft: goes to "Nowhere"/],
    [
      'a Map body jumping to its parent',
      (m) => void (inner(m).Skip = { Type: 'Pass', Next: 'Done' }),
      /Skip: goes to "Done", which is not a state here/,
    ],
    [
      'a Catch to a missing state',
      (m) => void (top(m).Draft!.Catch = [{ ErrorEquals: ['States.ALL'], Next: 'Gone' }]),
      /Draft: goes to "Gone"/,
    ],
    ['a state nothing goes to', (m) => void (top(m).Orphan = { Type: 'Succeed' }), /Orphan: unreachable/],
    [
      'an unreachable state inside a Map',
      (m) => void ((inner(m).Decide!.Choices as { Next: string }[])[0]!.Next = 'Skip'),
      /Deliver: unreachable from StartAt of Each owner/,
    ],
    [
      'a state name reused inside a Map',
      (m) => {
        inner(m).Done = { Type: 'Succeed' };
        inner(m).Decide!.Default = 'Done';
        delete inner(m).Skip;
      },
      /Done: used 2 times/,
    ],
    [
      'a Lambda task without Retry',
      (m) => void delete top(m).Draft!.Retry,
      /Draft: no Retry for Lambda.ServiceException/,
    ],
    [
      'a Lambda task retrying only some transient errors',
      (m) => void (top(m).Draft!.Retry = [{ ErrorEquals: ['Lambda.ServiceException'] }]),
      /Draft: no Retry for Lambda.AWSLambdaException, Lambda.SdkClientException, Lambda.TooManyRequestsException/,
    ],
    [
      'a retrier switched off with MaxAttempts 0',
      (m) => void (top(m).Draft!.Retry = [{ ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS], MaxAttempts: 0 }]),
      /Draft: no Retry/,
    ],
    [
      'a Lambda task without a timeout',
      (m) => void delete top(m).Draft!.TimeoutSeconds,
      /Draft: Lambda task without/,
    ],
    [
      'a callback task without a timeout',
      (m) => void delete inner(m).Ask!.TimeoutSecondsPath,
      /Ask: callback task without a timeout/,
    ],
    ['JSONata', (m) => void ((m as Record<string, unknown>).QueryLanguage = 'JSONata'), /uses QueryLanguage/],
    ['Assign', (m) => void (inner(m).Skip!.Assign = { x: 1 }), /Skip: uses Assign/],
    [
      'Assign in a Catch',
      (m) =>
        void ((top(m).Draft!.Catch as object[])[0] = {
          ErrorEquals: ['States.ALL'],
          Next: 'Failed',
          Assign: {},
        }),
      /Draft \(Catch\): uses Assign/,
    ],
    ['HeartbeatSeconds', (m) => void (inner(m).Ask!.HeartbeatSeconds = 60), /Ask: uses HeartbeatSeconds/],
    [
      'a task that gives up on its own failure',
      (m) => void (top(m).Draft!.Retry = [{ ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS] }]),
      /Draft: no Retry for States.TaskFailed/,
    ],
    [
      'a retry without jitter',
      (m) => void ((top(m).Draft!.Retry as Record<string, unknown>[])[1]!.JitterStrategy = 'NONE'),
      /Draft: States.TaskFailed is retried without backoff and full jitter/,
    ],
    [
      'a callback whose time-out is retried',
      (m) =>
        void ((inner(m).Ask!.Retry as { ErrorEquals: string[] }[])[1]!.ErrorEquals = [
          'States.TaskFailed',
          'States.Timeout',
        ]),
      /Ask: retries States.Timeout/,
    ],
    [
      "a task timeout below the function's",
      (m) => void (inner(m).Deliver!.TimeoutSeconds = 10),
      /Deliver: TimeoutSeconds 10 is below DraftUpdateFunctionArn's/,
    ],
  ])('%s', (_what, breakIt, expected) => {
    const machine = sample();
    breakIt(machine);
    const problems = allProblems(machine, FUNCTION_TIMEOUTS);
    expect(problems.join('\n')).toMatch(expected);
  });
});

describe('broadcast planning', () => {
  /** The first retrier whose ErrorEquals names the error (or States.TaskFailed, which any task error is). */
  function attemptsFor(error: string): number {
    const machine = parseAsl(readAslText('broadcast.asl.json'));
    const plan = machine.States['Work out who the broadcast goes to'] as {
      Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
    };
    const retrier = plan.Retry?.find(
      (r) => r.ErrorEquals.includes(error) || r.ErrorEquals.includes('States.TaskFailed'),
    );
    return retrier ? (retrier.MaxAttempts ?? 3) : 0;
  }

  it('is tried again after a passing failure: planning is safe to repeat', () =>
    expect(attemptsFor('DynamoDB.ProvisionedThroughputExceededException')).toBeGreaterThan(0));

  it('is not tried again for a broadcast that does not exist', () =>
    expect(attemptsFor('BroadcastNotFound')).toBe(0));
});
