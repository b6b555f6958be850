import type ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAsl, readAslText } from '../../lib/asl.ts';
import { FUNCTIONS, STATE_MACHINES } from '../../lambdas/contract/functions.ts';
import { loadContractTypes, type ContractTypes } from '../support/contract-types.ts';
import { checkMachine, type MachineTypes } from './contract-flow.ts';

/**
 * The seam between the ASL files and the TypeScript they call: every payload, pick and comparison in a
 * state machine must be one the code's own types allow. The types come from the compiler (each handler's
 * signature, contract/payloads.ts), never from a list kept beside them.
 */
let types: ContractTypes;
let machine: MachineTypes;

beforeAll(() => {
  types = loadContractTypes();
  machine = {
    functionBySubstitution: new Map(
      FUNCTIONS.flatMap((f) =>
        'substitution' in f
          ? [
              [
                f.substitution,
                { name: f.name, ...('answers' in f ? { answers: types.payload(f.answers) } : {}) },
              ],
            ]
          : [],
      ),
    ),
    machineBySubstitution: new Map(
      STATE_MACHINES.map((m) => [
        m.substitution,
        { input: types.payload(m.input), ...('output' in m ? { output: types.payload(m.output) } : {}) },
      ]),
    ),
  };
}, 120_000);

describe.each(STATE_MACHINES.map((m) => [m.file, m] as const))('%s', (file, m) => {
  it('sends every function and child what its types accept, picks only what they return, and compares against values the contract names', () => {
    const input: ts.Type = types.payload(m.input);
    expect(checkMachine(types, machine, parseAsl(readAslText(file)), input)).toEqual([]);
  });
});

describe('the contract test itself', () => {
  const lambdaTask = (payload: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: '${DeliverUpdateFunctionArn}', Payload: payload },
    ResultPath: null,
    End: true,
    ...extra,
  });
  const run = (states: Record<string, unknown>, input = 'RoundInput') =>
    checkMachine(
      types,
      machine,
      { StartAt: Object.keys(states)[0]!, States: states } as never,
      types.payload(input),
    );
  const good = {
    'incidentId.$': '$.incidentId',
    round: 1,
    ownerId: 'amy',
    senderId: 'amy',
    mode: 'send',
    asCompany: false,
  };

  it('accepts a payload that fits', () => expect(run({ Send: lambdaTask(good) })).toEqual([]));
  it('names a key the input type does not have', () =>
    expect(run({ Send: lambdaTask({ ...good, recipient: 'x' }) }).join('\n')).toMatch(
      /"recipient" is not in/,
    ));
  it('names a required key that is not sent', () => {
    const { asCompany: _dropped, ...rest } = good;
    expect(run({ Send: lambdaTask(rest) }).join('\n')).toMatch(/"asCompany" is required/);
  });
  it('names a literal outside the type', () =>
    expect(run({ Send: lambdaTask({ ...good, mode: 'shout' }) }).join('\n')).toMatch(
      /"mode": "shout" does not fit/,
    ));
  it('names a path the state input does not have', () =>
    expect(run({ Send: lambdaTask({ ...good, 'ownerId.$': '$.owner' }) }).join('\n')).toMatch(/no "owner"/));
  it('names a picked field the output does not have', () =>
    expect(
      run({
        Send: lambdaTask(good, { ResultSelector: { 'x.$': '$.Payload.delivered' }, ResultPath: '$.r' }),
      }).join('\n'),
    ).toMatch(/has no "delivered"/));
  const startRound = (name: string) => ({
    Start: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: {
        StateMachineArn: '${UpdateRoundStateMachineArn}',
        'Name.$': name,
        Input: {
          'incidentId.$': '$.incidentId',
          'phase.$': '$.phase',
          'stage.$': '$.stage',
          'roundKey.$': '$.roundKey',
        },
      },
      ResultPath: null,
      End: true,
    },
  });
  it("accepts a child's Name.$ built from strings the contract has", () =>
    expect(run(startRound("States.Format('{}-{}', $.incidentId, $.roundKey)"))).toEqual([]));
  it("names a child's Name.$ path the input does not have", () =>
    expect(run(startRound("States.Format('{}-x', $.names.round)")).join('\n')).toMatch(/no "names"/));
  it('names a Choice value the contract does not', () =>
    expect(
      run({
        Decide: {
          Type: 'Choice',
          Choices: [{ Variable: '$.phase', StringEquals: 'finale', Next: 'Done' }],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      }).join('\n'),
    ).toMatch(/\$\.phase is never "finale"/));
});
