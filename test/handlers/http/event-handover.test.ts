import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamo } from '../../../local/dynamodb.ts';
import { startStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions/index.ts';
import type * as Db from '../../../lambdas/adapters/dynamodb.ts';
import type * as Events from '../../../lambdas/adapters/incident-events.ts';
import type * as Lifecycle from '../../../lambdas/adapters/incident-lifecycle.ts';
import type * as Incidents from '../../../lambdas/adapters/incidents.ts';
import type { IncidentEventType } from '../../../lambdas/contract/payloads.ts';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';

/**
 * The hand-over of events to a running execution (lambdas/adapters/incident-events.ts), under concurrency,
 * on the local Step Functions engine and dynalite. The machine is the protocol's smallest user: park the
 * wait's token (short timeouts, so hand-overs race with timeouts), read the event, do some work (when no
 * wait is parked), park again. Events are signalled the way the front doors signal them, many at once,
 * while the wait is parked and while it is not; each moment is chosen by what the execution is doing,
 * never by a timer.
 */
const TABLE = 'event-handover-test';
const TIME_SCALE = 20;
/** 2 s scaled down: each wait times out after 100 ms unless an event arrives first. */
const WAIT_SECONDS = 2;

type Adapters = {
  lifecycle: typeof Lifecycle;
  incidents: typeof Incidents;
  events: typeof Events;
  db: typeof Db;
};

let dynamo: { url: string; close(): Promise<void> };
let sfn: LocalStepFunctions;
let a: Adapters;
/** What each execution read, in order: the events handed to it. */
const delivered = new Map<string, string[]>();
/** Held shut by a test to keep the execution busy (no wait parked). */
let workGate: Promise<void> | undefined;
/** Set while a work step waits at the gate. */
let busy = false;

const machine = {
  name: 'handover',
  definition: {
    StartAt: 'Wait for an event',
    States: {
      'Wait for an event': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: 'park',
          Payload: { 'taskToken.$': '$$.Task.Token', 'incidentId.$': '$.incidentId' },
        },
        TimeoutSecondsPath: '$.waitSeconds',
        ResultPath: '$.event',
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Work' }],
        Next: 'Read the event',
      },
      'Read the event': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'read', 'Payload.$': '$' },
        OutputPath: '$.Payload',
        Next: 'Resolved?',
      },
      'Resolved?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Closed' }],
        Default: 'Work',
      },
      Work: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'work', 'Payload.$': '$' },
        OutputPath: '$.Payload',
        Next: 'Wait for an event',
      },
      Closed: { Type: 'Succeed' },
    },
  },
};

interface State {
  incidentId: string;
  waitSeconds: number;
  event?: { type: IncidentEventType; eventId: string };
}

/** The three steps, written against the adapters exactly as park-for-events and load-incident use them. */
const lambdas: Record<string, (input: unknown) => Promise<unknown>> = {
  park: async (input) => {
    const { taskToken, incidentId } = input as { taskToken: string; incidentId: string };
    await a.incidents.parkWaitToken(incidentId, taskToken);
    await a.events.requeueUnread(incidentId, taskToken);
    await a.events.deliverPending(incidentId);
    return {};
  },
  read: async (input) => {
    const state = input as State;
    if (state.event) {
      await a.events.markConsumed(state.incidentId, state.event.eventId);
      delivered.get(state.incidentId)?.push(state.event.eventId);
    }
    return {
      incidentId: state.incidentId,
      waitSeconds: state.waitSeconds,
      done: state.event?.type === 'resolved',
    };
  },
  work: async (input) => {
    busy = true;
    await workGate;
    busy = false;
    const { incidentId, waitSeconds } = input as State;
    return { incidentId, waitSeconds };
  },
};

beforeAll(async () => {
  dynamo = await startDynamo({ tableName: TABLE });
  sfn = await startStepFunctions({
    machines: [machine],
    resolveLambda: (name) => {
      const fn = lambdas[name];
      if (!fn) throw new Error(`no test lambda ${name}`);
      return Promise.resolve(fn);
    },
    timeScale: TIME_SCALE,
  });
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: TABLE,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_SFN: sfn.url,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  // Imported only now: the SDK clients read their endpoints when the modules load.
  a = {
    lifecycle: await import('../../../lambdas/adapters/incident-lifecycle.ts'),
    incidents: await import('../../../lambdas/adapters/incidents.ts'),
    events: await import('../../../lambdas/adapters/incident-events.ts'),
    db: await import('../../../lambdas/adapters/dynamodb.ts'),
  };
});

afterAll(async () => {
  await sfn?.close();
  await dynamo?.close();
});

async function start(incidentId: string): Promise<string> {
  await a.incidents.createIncident({
    incidentId,
    title: 'Hand-over test',
    severity: 'SEV2',
    status: 'triggered',
    services: ['query'],
    regions: [],
    source: 'slack',
    startedAt: new Date().toISOString(),
    cmocId: 'nobody',
    executionName: `handover-${incidentId}`,
    rounds: 0,
  });
  return startExisting(incidentId);
}

function signal(incidentId: string, eventId: string, type: IncidentEventType = 'severity_changed') {
  return a.lifecycle.signalIncident(incidentId, { eventId, type, receivedAt: new Date().toISOString() });
}

const parked = (executionArn: string) =>
  sfn.engine.pendingTasks(executionArn).some((t) => t.stateName === 'Wait for an event');

/** How many of the execution's waits have timed out so far. */
const timeouts = async (executionArn: string) =>
  (await sfn.engine.history(executionArn)).filter((e) => e.type === 'TaskTimedOut').length;

async function statuses(incidentId: string): Promise<string[]> {
  const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
  const out = await a.db.dynamodb.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': `INCIDENT#${incidentId}`, ':e': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => String(i.status));
}

describe('events handed to a running execution', () => {
  it('none lost, none applied twice: events during waits, between waits, at once and repeated', async () => {
    const incidentId = 'HANDOVER1';
    const executionArn = await start(incidentId);
    const sent: string[] = [];

    // Between waits: the execution is busy (its work step held open), so nothing is parked.
    let release!: () => void;
    workGate = new Promise<void>((r) => (release = r));
    try {
      await waitFor('the execution to be busy between two waits', () =>
        busy && !parked(executionArn) ? true : undefined,
      );
      const between = Array.from({ length: 8 }, () => randomUUID());
      const outcomes = await Promise.all(between.map((id) => signal(incidentId, id)));
      sent.push(...between);
      expect(outcomes).toEqual(between.map(() => 'queued'));
    } finally {
      workGate = undefined;
      release();
    }

    // During a wait: wait until it is parked, then many at once — each twice at the same moment, as a
    // redelivery racing the first delivery would arrive.
    await waitFor('a parked wait', () => (parked(executionArn) ? true : undefined));
    const during = Array.from({ length: 8 }, () => randomUUID());
    const doubled = await Promise.all([...during, ...during].map((id) => signal(incidentId, id)));
    sent.push(...during);
    expect(doubled.filter((o) => o === 'delivered').length).toBeLessThanOrEqual(1);
    expect(doubled.filter((o) => o === 'duplicate')).toHaveLength(during.length);

    // Racing the 100 ms timeouts: each event of a stream goes either the moment a wait has timed out (the
    // execution on its way back to park, where the hand-over meets the next park) or while one is parked.
    const stream = Array.from({ length: 16 }, () => randomUUID());
    for (const [i, id] of stream.entries()) {
      if (i % 2 === 0) {
        const before = await timeouts(executionArn);
        await waitFor('a wait to time out', async () =>
          (await timeouts(executionArn)) > before ? true : undefined,
        );
      } else {
        await waitFor('a parked wait', () => (parked(executionArn) ? true : undefined));
      }
      await signal(incidentId, id);
      sent.push(id);
    }

    await waitFor(`all ${sent.length} events to be read`, () =>
      delivered.get(incidentId)!.length >= sent.length ? true : undefined,
    );
    const closing = randomUUID();
    await signal(incidentId, closing, 'resolved');
    const done = await sfn.engine.waitForStatus(
      executionArn,
      ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT'],
      WAIT_BOUND_MS,
    );
    expect(done.status).toBe('SUCCEEDED');

    const read = delivered.get(incidentId)!;
    expect(read).toHaveLength(sent.length + 1);
    expect(new Set(read)).toEqual(new Set([...sent, closing]));
    expect(read.at(-1)).toBe(closing);
    expect(new Set(await statuses(incidentId))).toEqual(new Set(['consumed']));
  });

  it('an event left mid-hand-over by a crashed caller is handed over at the next park', async () => {
    const incidentId = 'HANDOVER2';
    // What a crash between claiming the token and SendTaskSuccess leaves: the event "sent" with a token
    // that no wait will ever be completed with.
    const eventId = randomUUID();
    const receivedAt = new Date().toISOString();
    await a.incidents.createIncident({
      incidentId,
      title: 'Crashed hand-over',
      severity: 'SEV2',
      status: 'triggered',
      services: [],
      regions: [],
      source: 'slack',
      startedAt: receivedAt,
      cmocId: 'nobody',
      executionName: `handover-${incidentId}`,
      rounds: 0,
    });
    await a.db.dynamodb.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `INCIDENT#${incidentId}`,
          sk: `EVENT#${eventId}`,
          eventId,
          type: 'engineering_update',
          status: 'sent',
          sentWith: 'a-token-from-a-wait-that-timed-out',
          receivedAt,
        },
      }),
    );
    const executionArn = await startExisting(incidentId);
    await waitFor('the stranded event to be read', () =>
      delivered.get(incidentId)!.includes(eventId) ? true : undefined,
    );
    await signal(incidentId, randomUUID(), 'resolved');
    await sfn.engine.waitForStatus(
      executionArn,
      ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT'],
      WAIT_BOUND_MS,
    );
    expect(delivered.get(incidentId)!.filter((id) => id === eventId)).toHaveLength(1);
  });
});

async function startExisting(incidentId: string): Promise<string> {
  delivered.set(incidentId, []);
  const [machineItem] = await sfn.engine.listStateMachines();
  const { executionArn } = await sfn.engine.startExecution({
    stateMachineArn: machineItem!.stateMachineArn,
    name: `handover-${incidentId}`,
    input: JSON.stringify({ incidentId, waitSeconds: WAIT_SECONDS }),
  });
  return executionArn;
}
