import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import {
  declare,
  roundExecutions,
  roundsOf,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { press } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * What the console shows of an incident: its rounds named after it, its state output in words.
 *
 * A round is named after its incident and number (contract/execution-names.ts) plus a suffix per start: a
 * round whose execution ended without finishing is started again by the parent's Retry under a new name —
 * the old one can never be used again — and it is the same round (its roundKey), drafted once.
 */
let world: World;

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 60 });
});
afterAll(async () => {
  await world?.close();
});

const nameOf = (arn: string) => arn.split(':').pop() ?? '';

describe("a round's execution name", () => {
  it('says whose round it is, and a round stopped midway is started again under a name of its own', async () => {
    const incident = await declare(world, {
      incidentId: 'QNAMES01',
      severity: 'SEV2',
      scenario: 'sends',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await press(world, 'carla', incident, 'cmoc:start');
    const [first] = await waitFor('the first round started', async () => {
      const rounds = await roundExecutions(world, incident.incidentId);
      return rounds.length > 0 ? rounds : undefined;
    });
    expect(nameOf(first!)).toMatch(/^incident-QNAMES01-round-1-[0-9a-f]{8}$/);
    await waitFor('the round drafted', async () =>
      (await roundsOf(incident.incidentId)).length > 0 ? true : undefined,
    );

    await world.engine.stopExecution({ executionArn: first!, error: 'Test', cause: 'stopped midway' });
    const again = await waitFor('the round started again', async () =>
      (await roundExecutions(world, incident.incidentId)).find((arn) => arn !== first),
    );
    expect(nameOf(again)).toMatch(/^incident-QNAMES01-round-1-[0-9a-f]{8}$/);
    expect(nameOf(again)).not.toBe(nameOf(first!));
    // The same round, not a second one, and the incident carries on without asking the CMOC anything.
    expect((await roundsOf(incident.incidentId)).map((r) => r.round)).toEqual([1]);
    expect((await world.engine.describeExecution({ executionArn: incident.executionArn })).status).toBe(
      'RUNNING',
    );
    expect(statesEntered(world, incident.executionArn).filter((s) => s.startsWith('Failed:'))).toEqual([]);
    // What the console shows as each state's output says the schedule in words, beside its codes.
    const said = (await world.engine.history(incident.executionArn)).flatMap((e) => {
      const output = e.stateExitedEventDetails?.output;
      const next =
        typeof output === 'string' ? (JSON.parse(output) as { next?: { inWords?: string } }).next : undefined;
      return next?.inWords ? [next.inWords] : [];
    });
    expect(said[0]).toMatch(/^Waiting for the CMOC to confirm customer impact: .+ in \d[^.]*\.$/);
    expect(said).toContain(
      'Customers are being kept informed: comms start, so the initial update goes out now.',
    );
    await world.engine.stopExecution({ executionArn: incident.executionArn });
    await world.engine.waitForStatus(incident.executionArn, 'ABORTED', WAIT_BOUND_MS);
  });
});
