import { describe, expect, it } from 'vitest';
import { parseAsl, placeholdersIn, readAslText, taskIntegrations } from '../../lib/asl.ts';
import type { AslMachine } from '../../lib/asl.ts';
import { STATE_MACHINES } from '../../lambdas/functions.ts';

const task = (resource: string, parameters: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: resource,
  Parameters: parameters,
  End: true,
});
const machine = (states: Record<string, unknown>): AslMachine =>
  parseAsl(JSON.stringify({ StartAt: Object.keys(states)[0], States: states }));

describe('taskIntegrations', () => {
  it('finds Lambda tasks inside Map and Parallel states', () => {
    const found = taskIntegrations(
      machine({
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'A',
              States: { A: task('arn:aws:states:::lambda:invoke', { FunctionName: '${AFn}' }) },
            },
            {
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  Iterator: { StartAt: 'B', States: { B: task('${BFn}') } },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      }),
    );
    expect([...found.invokes].sort()).toEqual(['AFn', 'BFn']);
    expect(found.starts.size).toBe(0);
  });

  it('tells waiting child executions from fire-and-forget ones', () => {
    const found = taskIntegrations(
      machine({
        Wait: {
          ...task('arn:aws:states:::states:startExecution.sync:2', { StateMachineArn: '${ChildArn}' }),
          End: undefined,
          Next: 'Go',
        },
        Go: task('arn:aws:states:::states:startExecution', { StateMachineArn: '${OtherArn}' }),
      }),
    );
    expect(Object.fromEntries(found.starts)).toEqual({ ChildArn: { sync: true }, OtherArn: { sync: false } });
  });

  it('refuses an integration it has no grant for', () => {
    expect(() =>
      taskIntegrations(machine({ Q: task('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'x' }) })),
    ).toThrow(/Task "Q" uses arn:aws:states:::sqs:sendMessage, which has no IAM grant/);
  });

  it('refuses a literal function name where a placeholder belongs', () => {
    expect(() =>
      taskIntegrations(
        machine({ L: task('arn:aws:states:::lambda:invoke', { FunctionName: 'my-function' }) }),
      ),
    ).toThrow(/Task "L" FunctionName: expected a \$\{Placeholder\}/);
  });

  it.each(STATE_MACHINES.map((m) => [m.file] as const))('accounts for every placeholder of %s', (file) => {
    const text = readAslText(file);
    const found = taskIntegrations(parseAsl(text));
    expect(new Set([...found.invokes, ...found.starts.keys()])).toEqual(placeholdersIn(text));
  });
});
