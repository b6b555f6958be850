import { readFileSync } from 'node:fs';
import {
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startStepFunctions,
  stateMachineArn,
  type LocalLambdaHandler,
  type LocalStepFunctions,
} from '../../../local/stepfunctions/index.ts';
import { sfnClient } from './helpers.ts';

/**
 * The product's own ASL files load and their constructs run: lambda:invoke + OutputPath $.Payload,
 * waitForTaskToken with TimeoutSecondsPath, an inline Map with ItemSelector/$$.Map.Item.Value, and
 * startExecution.sync:2. The handlers are trivial stand-ins that follow the states' contracts; the
 * end-to-end behaviour of the real Lambdas is tested elsewhere.
 */

const machineFile = (name: string): Record<string, unknown> => {
  const text = readFileSync(
    new URL(`../../../statemachines/${name}.asl.json`, import.meta.url),
    'utf8',
  ).replace(/\$\{(\w+)\}/g, (_, placeholder: string) =>
    placeholder === 'UpdateRoundStateMachineArn'
      ? stateMachineArn('update-round')
      : `arn:aws:lambda:us-east-1:000000000000:function:${placeholder.replace(/Arn$/, '')}`,
  );
  return JSON.parse(text) as Record<string, unknown>;
};

let sfn: LocalStepFunctions;
let client: SFNClient;
const cmoc: string[] = [];
const deliveries: { ownerId: string; mode: string }[] = [];

const answerSoon = (taskToken: string, output: unknown): void => {
  setTimeout(
    () => void client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    5,
  );
};

const handlers: Record<string, LocalLambdaHandler> = {
  LoadIncidentFunction: async (event) => ({
    incidentId: (event as { incidentId: string }).incidentId,
    waitSeconds: 3600,
    updatesOnCadence: true,
  }),
  DraftUpdateFunction: async (event) => ({
    incidentId: (event as { incidentId: string }).incidentId,
    round: 1,
    owners: ['owner-who-sends', 'owner-who-is-away'],
    ownerTimeoutSeconds: 1,
  }),
  AskOwnerFunction: async (event) => {
    const { taskToken, ownerId } = event as { taskToken: string; ownerId: string };
    if (ownerId === 'owner-who-sends') answerSoon(taskToken, { decision: 'send', senderId: 'U123' });
    return { asked: ownerId };
  },
  DeliverUpdateFunction: async (event) => {
    deliveries.push(event as { ownerId: string; mode: string });
    return { delivered: 1 };
  },
  NotifyCmocFunction: async (event) => {
    cmoc.push((event as { kind: string }).kind);
    return {};
  },
  ParkForEventsFunction: async (event) => {
    answerSoon((event as { taskToken: string }).taskToken, { type: 'resolved' });
    return {};
  },
};

beforeAll(async () => {
  sfn = await startStepFunctions({
    machines: [
      { name: 'incident', definition: machineFile('incident') },
      { name: 'update-round', definition: machineFile('update-round') },
    ],
    resolveLambda: async (arn) => {
      const handler = handlers[arn.split(':function:').at(-1) ?? ''];
      if (!handler) throw new Error(`no stand-in for ${arn}`);
      return handler;
    },
    // The owners' 1 s answer window takes 0.1 s.
    timeScale: 10,
  });
  client = sfnClient(sfn.url);
});

afterAll(async () => {
  client?.destroy();
  await sfn?.close();
});

describe('the product state machines', () => {
  it('run an incident from initial update to resolution', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn('incident'),
        name: 'INC-1',
        input: JSON.stringify({ incidentId: 'INC-1' }),
      }),
    );
    await sfn.engine.waitForStatus(executionArn!, 'SUCCEEDED', 20_000);

    const visited = sfn.engine.visitedStates(executionArn!).map((v) => v.name);
    expect(visited).toEqual([
      'Load the incident',
      'Send the initial update',
      'Work out when the next update is due',
      'Wait for the next update or an event',
      'What happened?',
      'Send the resolution update',
      'Tell the CMOC the incident is closed',
      'Incident closed',
    ]);
    const rounds = await client.send(
      new ListExecutionsCommand({ stateMachineArn: stateMachineArn('update-round') }),
    );
    expect(rounds.executions!.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(cmoc.filter((k) => k === 'owner_timed_out')).toHaveLength(2);
    expect(cmoc.filter((k) => k === 'round_summary')).toHaveLength(2);
    expect(cmoc.at(-1)).toBe('closed');
    expect(deliveries.map((d) => [d.ownerId, d.mode])).toEqual([
      ['owner-who-sends', 'send'],
      ['owner-who-sends', 'send'],
    ]);

    const roundHistory = await sfn.engine.history(rounds.executions![0]!.executionArn!);
    const mapStarted = roundHistory.find((e) => e.type === 'MapStateStarted');
    expect(mapStarted?.mapStateStartedEventDetails).toEqual({ length: 2 });
    expect(roundHistory.filter((e) => e.type === 'TaskTimedOut')).toHaveLength(1);
  });
});
