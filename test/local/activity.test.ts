import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Activity, activityOf, deliveryActivity, formatActivity } from '../../local/activity.ts';
import { waitFor } from '../../local/driver.ts';
import type { HistoryEvent } from '../../local/stepfunctions/index.ts';
import { declare, scenarioRoster, WEDNESDAY } from '../support/scenarios.ts';
import { press } from '../support/slack.ts';
import { startWorld, type World } from '../support/world.ts';

const AT = new Date('2026-12-03T10:42:07.000Z');
const arn = (machine: string) => `arn:aws:states:us-east-1:000000000000:execution:${machine}:x`;
const entered = (name: string, input: object): HistoryEvent => ({
  timestamp: AT,
  type: 'TaskStateEntered',
  id: 5,
  previousEventId: 4,
  stateEnteredEventDetails: { name, input: JSON.stringify(input) },
});

describe('the activity lines', () => {
  it('say the time, the incident and what happened', () => {
    const line = activityOf(
      arn('update-round'),
      entered('Ask the account owner to send', { incidentId: 'Q1', round: 2, ownerId: 'amy' }),
    );
    expect(line && formatActivity(line)).toBe('10:42:07  Q1  owner amy asked to send round 2');
    const failed = activityOf(
      arn('incident'),
      entered('Ask the CMOC: try again or stop comms', {
        incidentId: 'Q1',
        failure: { step: 'Load the incident', error: 'Error' },
      }),
    );
    expect(failed?.what).toBe('failed: Load the incident (Error); CMOC asked to try again or stop comms');
  });

  it('name the incident of an execution that ends without input, and stay quiet about bookkeeping', () => {
    const ended: HistoryEvent = {
      timestamp: AT,
      type: 'ExecutionFailed',
      id: 9,
      previousEventId: 8,
      executionFailedEventDetails: { error: 'IncidentCommsFailed' },
    };
    expect(activityOf(arn('incident'), ended, 'Q1')?.what).toBe(
      "failed: the incident's execution ended (IncidentCommsFailed)",
    );
    expect(activityOf(arn('incident'), entered('What is due?', { incidentId: 'Q1' }))).toBeUndefined();
    expect(activityOf(arn('incident'), entered('Incident closed', {}))).toBeUndefined();
  });

  it('say who sent to how many', () => {
    const send = {
      incidentId: 'Q1',
      round: 1,
      ownerId: 'amy',
      senderId: 'andre',
      mode: 'send',
      asCompany: false,
    };
    expect(deliveryActivity(send, { sent: 3, alreadySent: 0, failed: 1, outOfDate: false }, AT)?.what).toBe(
      "round 1 sent by andre to 3 recipients of amy's accounts (1 failed)",
    );
    expect(
      deliveryActivity(
        { ...send, senderId: 'carla', asCompany: true },
        { sent: 1, alreadySent: 0, failed: 0, outOfDate: false },
        AT,
      )?.what,
    ).toBe("escalated: round 1 sent as the company (CMOC carla) to 1 recipient of amy's accounts");
    expect(deliveryActivity(send, { sent: 0, alreadySent: 0, failed: 0, outOfDate: true }, AT)?.what).toMatch(
      /left unsent: out of date/,
    );
  });
});

describe('npm start', () => {
  const lines: string[] = [];
  const activity = new Activity((line) => lines.push(line));
  let world: World;

  beforeAll(async () => {
    world = await startWorld({
      roster: scenarioRoster(),
      timeScale: 60,
      observeLambdas: (r) => activity.observeLambdas(r),
    });
    activity.watch(world.stepFunctions.engine);
  });
  afterAll(async () => {
    activity.close();
    await world?.close();
  });

  it('prints a line for each thing that happens to an incident, as it happens', async () => {
    const incident = await declare(world, {
      incidentId: 'QLINES01',
      severity: 'SEV2',
      scenario: 'sends',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await press(world, 'carla', incident, 'cmoc:start');
    await press(world, 'amy', incident, 'owner:send');
    const mine = () => lines.filter((l) => l.includes('  QLINES01  ')).map((l) => l.slice(10));
    await waitFor('the send printed', () => (mine().some((l) => l.includes(' sent by ')) ? true : undefined));
    expect(mine()).toEqual(
      expect.arrayContaining([
        'QLINES01  incident started',
        'QLINES01  CMOC asked to confirm customer impact',
        'QLINES01  initial update round started',
        'QLINES01  owner amy asked to send round 1',
        "QLINES01  round 1 sent by amy to 1 recipient of amy's accounts",
      ]),
    );
    expect(lines.every((l) => /^\d\d:\d\d:\d\d {2}\S+ {2}\S/.test(l))).toBe(true);
    await world.engine.stopExecution({ executionArn: incident.executionArn });
  });
});
