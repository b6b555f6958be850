import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import {
  declare,
  incidentRecord,
  pagerDuty,
  postsTo,
  roundExecutions,
  scenarioRoster,
  statesEntered,
  WEDNESDAY,
} from '../../support/scenarios.ts';
import { hasButton, press } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * An owner who presses "Send" on the first update after the incident resolved sends nothing: customers
 * would otherwise read "we're investigating" after being told it is fixed. The resolution goes out instead.
 */
let world: World;

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 60 });
});
afterAll(async () => {
  await world?.close();
});

describe('a press on an update the resolution overtook', () => {
  it('leaves the update unsent, says why in the DM, and the resolution still goes out', async () => {
    const incident = await declare(world, {
      incidentId: 'QSTALE001',
      severity: 'SEV2',
      scenario: 'sends',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await press(world, 'carla', incident, 'cmoc:start');
    const amy = world.runtime.roster.people.find((p) => p.id === 'amy')!;
    const first = await waitFor('the first update in Amy’s DMs', () =>
      world.slack
        .messages({ user: amy.slackUserId })
        .find((m) => (m.text ?? '').includes(incident.title) && hasButton(m, 'owner:send')),
    );

    await pagerDuty(world, 'incident.resolved', incident.incidentId);
    await waitFor('the incident to be resolved', async () =>
      (await incidentRecord(incident.incidentId)).status === 'resolved' ? true : undefined,
    );
    const answer = await world.slack.press({
      channel: first.channel,
      ts: first.ts,
      actionId: 'owner:send',
      userId: amy.slackUserId,
    });
    expect(answer.status).toBe(200);

    const shown = await waitFor('the DM to say why nothing was sent', () =>
      world.slack.messages({ channel: first.channel }).find((m) => m.ts === first.ts && m.edits > 0),
    );
    expect(JSON.stringify(shown.blocks)).toMatch(/Not sent: the incident was resolved at \d\d:\d\d UTC/);
    const [initialRound] = await roundExecutions(world, incident.incidentId);
    await waitFor('the first round to leave its update unsent', () =>
      statesEntered(world, initialRound!).includes('Leave the out-of-date update unsent') ? true : undefined,
    );

    // The resolution round asks Amy in turn; her press sends it, the only post the customer gets.
    await press(world, 'amy', incident, 'owner:send');
    const posted = await waitFor('the resolution in sends-co', () => postsTo(world, 'sends-co')[0]);
    expect(posted.text).toMatch(/back to normal|resolved/i);
    await world.engine.waitForStatus(incident.executionArn, ['SUCCEEDED', 'FAILED'], WAIT_BOUND_MS);
    expect(postsTo(world, 'sends-co')).toHaveLength(1);
  });
});
