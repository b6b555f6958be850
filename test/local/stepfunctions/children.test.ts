import { ListExecutionsCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStepFunctions } from '../../../local/stepfunctions/index.ts';
import { arnOf, rejection, sfnClient, startWith } from './helpers.ts';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';

let sfn: LocalStepFunctions;
let client: SFNClient;

beforeAll(async () => {
  sfn = await startWith(['parent', 'child'], {
    echo: async (event) => ({ echoed: (event as { value: string }).value }),
    park: async () => ({}),
  });
  client = sfnClient(sfn.url);
});

afterAll(async () => {
  client?.destroy();
  await sfn?.close();
});

const startParent = async (name: string, value: string): Promise<string> =>
  (
    await client.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('parent'), name, input: JSON.stringify({ value }) }),
    )
  ).executionArn!;

async function childOf(parentName: string): Promise<string> {
  const children = await waitFor(`a child execution started by ${parentName}`, () => {
    const started = sfn.engine.visitedStates(
      `arn:aws:states:us-east-1:000000000000:execution:parent:${parentName}`,
    );
    return started.length ? started : undefined;
  });
  expect(children[0]!.taskKind).toBe('startExecutionSync');
  const { executions } = await client.send(new ListExecutionsCommand({ stateMachineArn: arnOf('child') }));
  for (const execution of executions!) {
    const input = JSON.parse(
      (await sfn.engine.describeExecution({ executionArn: execution.executionArn! })).input,
    ) as {
      AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID?: string;
    };
    if (input.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID?.endsWith(`:${parentName}`))
      return execution.executionArn!;
  }
  throw new Error(`no child of ${parentName} in ListExecutions`);
}

describe('startExecution.sync:2', () => {
  it('runs the child (visible through the API) and returns its parsed output', async () => {
    const parentArn = await startParent('parent-ok', 'hello');
    const parent = await sfn.engine.waitForStatus(parentArn, 'SUCCEEDED', WAIT_BOUND_MS);
    expect(JSON.parse(parent.output!)).toEqual({
      value: 'hello',
      child: { childOutput: { echoed: 'hello' }, childStatus: 'SUCCEEDED' },
    });
    const childArn = await childOf('parent-ok');
    expect((await sfn.engine.describeExecution({ executionArn: childArn })).status).toBe('SUCCEEDED');
    const childTypes = (await sfn.engine.history(childArn)).map((e) => e.type);
    expect(childTypes).toContain('LambdaFunctionSucceeded');
    const succeeded = (await sfn.engine.history(parentArn)).find((e) => e.type === 'TaskSucceeded');
    expect(succeeded?.taskSucceededEventDetails).toMatchObject({
      resourceType: 'states',
      resource: 'startExecution.sync:2',
    });
    expect(JSON.parse(succeeded!.taskSucceededEventDetails!.output as string)).toMatchObject({
      ExecutionArn: childArn,
      Status: 'SUCCEEDED',
      Output: { echoed: 'hello' },
      StartDate: expect.any(Number) as number,
    });
  });

  it('fails the parent task with States.TaskFailed when the child fails', async () => {
    const parentArn = await startParent('parent-fails', 'fail');
    const error = await rejection(sfn.engine.waitForStatus(parentArn, 'SUCCEEDED', WAIT_BOUND_MS));
    expect(error.message).toMatch(/FAILED \(States\.TaskFailed/);
    const parent = await sfn.engine.describeExecution({ executionArn: parentArn });
    expect(JSON.parse(parent.cause!)).toMatchObject({
      Status: 'FAILED',
      Error: 'ChildBroke',
      Cause: 'asked to fail',
    });
  });

  it('stops the running child when the parent is stopped', async () => {
    const parentArn = await startParent('parent-stopped', 'park');
    const childArn = await childOf('parent-stopped');
    await waitFor('the child to park on its callback', () =>
      sfn.engine.pendingTasks(childArn).length ? true : undefined,
    );
    await sfn.engine.stopExecution({ executionArn: parentArn });
    await sfn.engine.waitForStatus(childArn, 'ABORTED', WAIT_BOUND_MS);
    expect(sfn.engine.pendingTasks(childArn)).toEqual([]);
  });
});
