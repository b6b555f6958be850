import { describe, expect, it } from 'vitest';
import { parseAsl, placeholdersIn, readAslText, taskIntegrations } from '../../lib/asl.ts';
import type { AslMachine } from '../../lib/asl.ts';
import { STATE_MACHINES } from '../../lambdas/contract/functions.ts';

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

  it('finds Lambda tasks in a Distributed Map and names the map, which starts executions of its machine', () => {
    const found = taskIntegrations(
      machine({
        Plan: {
          ...task('arn:aws:states:::lambda:invoke', { FunctionName: '${PlanFn}' }),
          End: undefined,
          Next: 'Fan',
        },
        Fan: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Batch',
            States: { Batch: task('arn:aws:states:::lambda:invoke', { FunctionName: '${BatchFn}' }) },
          },
          End: true,
        },
      }),
    );
    expect([...found.invokes].sort()).toEqual(['BatchFn', 'PlanFn']);
    expect(found.distributedMaps).toEqual(['Fan']);
    expect(found.starts.size).toBe(0);
    expect(found.issuesTaskTokens).toBe(false);
  });

  it('does not count an INLINE Map as distributed', () => {
    const found = taskIntegrations(
      machine({
        Each: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'A',
            States: { A: task('arn:aws:states:::lambda:invoke', { FunctionName: '${AFn}' }) },
          },
          End: true,
        },
      }),
    );
    expect(found.distributedMaps).toEqual([]);
    expect([...found.invokes]).toEqual(['AFn']);
  });

  it('refuses a Distributed Map that reads items from S3 or writes results there', () => {
    const distributed = (extra: Record<string, unknown>) =>
      machine({
        Fan: {
          Type: 'Map',
          ...extra,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      });
    expect(() =>
      taskIntegrations(distributed({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject' } })),
    ).toThrow(/Map "Fan" uses ItemReader, which has no IAM grant/);
    expect(() =>
      taskIntegrations(distributed({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' } })),
    ).toThrow(/Map "Fan" uses ResultWriter, which has no IAM grant/);
  });

  it('notices a task that waits for a token, nested or not', () => {
    const waits = (resource: string) =>
      taskIntegrations(
        machine({
          Each: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'Ask',
              States: { Ask: task(resource, { FunctionName: '${AskFn}', StateMachineArn: '${ChildArn}' }) },
            },
            End: true,
          },
        }),
      ).issuesTaskTokens;
    expect(waits('arn:aws:states:::lambda:invoke.waitForTaskToken')).toBe(true);
    expect(waits('arn:aws:states:::states:startExecution.waitForTaskToken')).toBe(true);
    expect(waits('arn:aws:states:::lambda:invoke')).toBe(false);
  });

  it('reads the target of a JSONata task from Arguments', () => {
    const found = taskIntegrations(
      machine({
        L: {
          Type: 'Task',
          QueryLanguage: 'JSONata',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: '${JsonataFn}', Payload: '{% $states.input %}' },
          End: true,
        },
      }),
    );
    expect([...found.invokes]).toEqual(['JsonataFn']);
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
