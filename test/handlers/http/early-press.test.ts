import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../local/driver.ts';
import { actionItem, pagerDutyEvent, postPagerDuty } from '../../support/frontdoors.ts';
import { buttonsOf, ownerDmsFor, pressOn, recipientOf } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * An ask posts its DM first and records where it is after; a press that lands in between must still turn
 * the DM into the record of who did what — Slack's payload says which message was pressed.
 */
let h: World;

beforeAll(async () => {
  h = await startWorld({ timeScale: 1 });
});
afterAll(async () => {
  await h?.close();
});

describe('a press before the DM is recorded', () => {
  it('still replaces the buttons with the decision', async () => {
    const trigger = pagerDutyEvent('incident.triggered', 'QEARLY0001', {
      priority: { id: 'PPRIO01', type: 'priority_reference', summary: 'P1' },
    });
    expect((await postPagerDuty(h, trigger)).status).toBe(202);
    const [dm] = await ownerDmsFor(h, 'Dashboards in the EU region', 1);
    const slack = h.runtime.slack!;
    const actionId = buttonsOf(dm!).find((b) => b.actionId === 'owner:send')!.value!;
    // The moment between chat.postMessage and recording the DM: the action has no `dm` yet.
    await waitFor('the DM to be recorded on its action', async () =>
      (await actionItem(h, actionId))?.dm ? true : undefined,
    );
    await h.db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: `ACTION#${actionId}`, sk: 'META' },
        UpdateExpression: 'REMOVE dm',
      }),
    );

    const answer = await pressOn(h, dm!, 'owner:send');
    expect(answer.status).toBe(200);
    const shown = await waitFor('the pressed DM to show the decision', () =>
      slack.messages({ channel: dm!.channel }).find((m) => m.ts === dm!.ts && m.edits > 0),
    );
    // The spent buttons are gone; only Correct stays, for the update just sent.
    expect(buttonsOf(shown).map((b) => b.actionId)).toEqual(['correct:open']);
    const owner = recipientOf(h, dm!);
    expect(JSON.stringify(shown.blocks)).toContain(`✅ ${owner.name} `);
    expect(await actionItem(h, actionId)).toMatchObject({ status: 'done', decision: 'send' });
  });
});
