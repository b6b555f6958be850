import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskOwnerInput } from '../../../lambdas/contract/payloads.ts';
import { waitFor } from '../../../local/driver.ts';
import { actionItem, pagerDutyEvent, postPagerDuty } from '../../support/frontdoors.ts';
import { buttonsOf, notesTo, ownerDmsFor, pressOn, recipientOf } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * An ask whose step failed after posting its DM is retried, and the retry asks again with a new task
 * token. A press that lands in between meets a dead token: it must not be told "too late" and undone —
 * the retried ask finds it answered and hands it over, and the update goes out under the presser's name.
 */
let h: World;

beforeAll(async () => {
  h = await startWorld({ timeScale: 1 });
});
afterAll(async () => {
  await h?.close();
});

describe('a press between an ask that failed and its retry', () => {
  it('carries over to the retried ask: the DM shows the decision and the update goes out', async () => {
    const trigger = pagerDutyEvent('incident.triggered', 'QRETRYASK1', {
      priority: { id: 'PPRIO01', type: 'priority_reference', summary: 'P1' },
    });
    expect((await postPagerDuty(h, trigger)).status).toBe(202);
    const [first] = await ownerDmsFor(h, 'Dashboards in the EU region', 1);
    // A backup's ask made in the owner's step is armed again by the backup step that follows (its DM is
    // updated once): wait for that, so that the token the test kills below is the one the ask holds.
    const dm = /please cover/.test(first!.text ?? '')
      ? await waitFor('the backup step to arm the ask', () =>
          h.slack.messages({ channel: first!.channel }).find((m) => m.ts === first!.ts && m.edits > 0),
        )
      : first!;
    const owner = recipientOf(h, dm);
    const actionId = buttonsOf(dm).find((b) => b.actionId === 'owner:send')!.value!;
    const asked = await waitFor('the DM to be recorded on its action', async () => {
      const item = await actionItem(h, actionId);
      return item?.dm ? item : undefined;
    });
    // The attempt that asked failed after posting: the token the action holds died with it.
    const liveToken = asked.taskToken as string;
    await h.db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: `ACTION#${actionId}`, sk: 'META' },
        UpdateExpression: 'SET taskToken = :dead',
        ExpressionAttributeValues: { ':dead': 'a-token-whose-attempt-failed' },
      }),
    );

    expect((await pressOn(h, dm, 'owner:send')).status).toBe(200);
    const shown = await waitFor('the pressed DM to show the decision', () =>
      h.slack.messages({ channel: dm.channel }).find((m) => m.ts === dm.ts && m.edits > dm.edits),
    );
    // The spent buttons are gone; only Correct stays, for the update just sent.
    expect(buttonsOf(shown).map((b) => b.actionId)).toEqual(['correct:open']);
    expect(JSON.stringify(shown.blocks)).toContain(`✅ ${owner.name} `);
    expect(notesTo(h, owner.id).map((m) => m.text)).toEqual([]);
    expect(await actionItem(h, actionId)).toMatchObject({ status: 'done', decision: 'send' });

    // The retry: the same ask, on the task that is still waiting. It hands the press over.
    const { handler: askToSend } = await import('../../../lambdas/handlers/steps/ask-to-send/handler.ts');
    const retry: AskOwnerInput = {
      taskToken: liveToken,
      incidentId: 'QRETRYASK1',
      round: asked.round as number,
      ownerId: asked.ownerId as string,
      role: 'owner',
    };
    await askToSend(retry);
    const { logOf } = await import('../../../lambdas/adapters/notification-log.ts');
    const sent = await waitFor('the update sent under the presser’s name', async () => {
      const log = await logOf('QRETRYASK1', retry.round);
      const mine = log.filter((e) => e.senderId === owner.id);
      return mine.length > 0 && mine.every((e) => e.status === 'sent') ? mine : undefined;
    });
    expect(sent.length).toBeGreaterThan(0);
  });
});
