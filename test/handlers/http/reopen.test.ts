import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reopenedExecutionName } from '../../../lambdas/adapters/incident-reopen.ts';
import type { StoredMessage } from '../../../local/slack/index.ts';
import { waitFor } from '../../../local/driver.ts';
import {
  executionArnOf,
  incidentExecutions,
  incidentItem,
  pagerDutyEvent,
  postPagerDuty,
} from '../../support/frontdoors.ts';
import {
  dmsAbout,
  hasButton,
  sendAllUntil,
  startCommsAsks,
  startCommsOnNewAsk,
} from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';
import { executionArn } from '../../../local/stepfunctions/index.ts';

/**
 * incident.reopened after the incident's execution has finished: a new execution (`…-r<n>`) runs the
 * incident again from the CMOC's confirmation; while the execution still runs, the event is handed over
 * as before. Against the local runtime, over HTTP with real signatures.
 */
let h: World;

beforeAll(async () => {
  h = await startWorld({ timeScale: 60 });
});
afterAll(async () => {
  await h?.close();
});

const arnOf = (name: string) => executionArn('incident', name);

async function statusOf(executionArn: string): Promise<string | undefined> {
  return (await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
}

async function namesFor(incidentId: string): Promise<string[]> {
  return (await incidentExecutions(h))
    .map((e) => e.name ?? '')
    .filter((n) => n.startsWith(`incident-${incidentId}`))
    .sort();
}

const ownerAsks = (marker: string) => dmsAbout(h, marker).filter((m) => hasButton(m, 'owner:send'));

const keyOf = (m: StoredMessage) => `${m.channel}/${m.ts}`;

describe('incident.reopened after the execution has finished', () => {
  const incidentId = 'QREOPEN0001';
  const title = 'Exports fail for reopen test QREOPEN0001';
  const r1 = reopenedExecutionName(incidentId, 1);
  const r2 = reopenedExecutionName(incidentId, 2);

  it('runs the incident to the end: confirmed, initial and resolution rounds sent, execution SUCCEEDED', async () => {
    const trigger = await postPagerDuty(h, pagerDutyEvent('incident.triggered', incidentId, { title }));
    expect(trigger.outcome).toMatchObject({ action: 'started-execution' });
    await startCommsOnNewAsk(h, title, new Set());
    await waitFor('the initial round to ask the owners', () => ownerAsks(title)[0]);
    const resolved = await postPagerDuty(h, pagerDutyEvent('incident.resolved', incidentId));
    expect(resolved.outcome?.action).toMatch(/^resolved:(delivered|queued)$/);
    await sendAllUntil(h, title, 'the first execution to succeed', async () => {
      return (await statusOf(executionArnOf(h, incidentId))) === 'SUCCEEDED';
    });
  });

  let reopen: ReturnType<typeof pagerDutyEvent>;
  it('a reopening starts `-r1`, which asks the CMOC and then the owners again', async () => {
    const seenAsks = new Set(startCommsAsks(h, title).map(keyOf));
    const seenOwnerDms = new Set(ownerAsks(title).map(keyOf));
    reopen = pagerDutyEvent('incident.reopened', incidentId);
    const out = await postPagerDuty(h, reopen);
    expect(out.status).toBe(202);
    expect(out.outcome).toMatchObject({ action: 'restarted-execution', incidentId });
    expect(r1).toBe(`incident-${incidentId}-r1`);
    expect(await statusOf(arnOf(r1))).toBe('RUNNING');
    expect(await namesFor(incidentId)).toEqual([`incident-${incidentId}`, r1]);
    const item = await incidentItem(h, incidentId);
    expect(item).toMatchObject({ executionName: r1, reopenings: 1, status: 'triggered' });
    expect(item?.commsDecision).toBeUndefined();

    await startCommsOnNewAsk(h, title, seenAsks);
    const again = await waitFor('the owners to be asked again by the initial round of -r1', () =>
      ownerAsks(title).find((m) => !seenOwnerDms.has(keyOf(m))),
    );
    // The draft they are asked to send says the problem is back, not that a new one began.
    expect(JSON.stringify(again.blocks)).toContain('that we told you was fixed has come back');
  });

  it('the same reopened event delivered again (new X-Webhook-Id) starts nothing more', async () => {
    const again = await postPagerDuty(h, reopen);
    expect(again.status).toBe(202);
    expect(again.json()).toMatchObject({ status: 'duplicate', duplicateOf: 'event' });
    expect(await namesFor(incidentId)).toEqual([`incident-${incidentId}`, r1]);
  });

  it('another reopened event while -r1 runs is handed to -r1, not a new execution', async () => {
    const out = await postPagerDuty(h, pagerDutyEvent('incident.reopened', incidentId));
    expect(out.status).toBe(202);
    expect(out.outcome?.action).toMatch(/^reopened:(delivered|queued)$/);
    expect(await namesFor(incidentId)).toEqual([`incident-${incidentId}`, r1]);
    expect((await incidentItem(h, incidentId))?.executionName).toBe(r1);
  });

  it('once -r1 has finished too, the next reopening starts -r2', async () => {
    const resolved = await postPagerDuty(h, pagerDutyEvent('incident.resolved', incidentId));
    expect(resolved.outcome?.action).toMatch(/^resolved:(delivered|queued)$/);
    await sendAllUntil(h, title, '-r1 to succeed', async () => (await statusOf(arnOf(r1))) === 'SUCCEEDED');
    const out = await postPagerDuty(h, pagerDutyEvent('incident.reopened', incidentId));
    expect(out.outcome).toMatchObject({ action: 'restarted-execution' });
    expect(await namesFor(incidentId)).toEqual([`incident-${incidentId}`, r1, r2]);
    expect(await statusOf(arnOf(r2))).toBe('RUNNING');
    expect(await incidentItem(h, incidentId)).toMatchObject({ executionName: r2, reopenings: 2 });
  });
});

describe('incident.reopened while the execution still runs', () => {
  it('keeps the hand-over: the event is queued or delivered, no second execution', async () => {
    const incidentId = 'QREOPEN0002';
    const title = 'Logins slow for reopen test QREOPEN0002';
    const trigger = await postPagerDuty(h, pagerDutyEvent('incident.triggered', incidentId, { title }));
    expect(trigger.outcome).toMatchObject({ action: 'started-execution' });
    await waitFor('the CMOC to be asked to confirm customer impact', () => startCommsAsks(h, title)[0]);
    const reopened = await postPagerDuty(h, pagerDutyEvent('incident.reopened', incidentId));
    expect(reopened.status).toBe(202);
    expect(reopened.outcome?.action).toMatch(/^reopened:(delivered|queued)$/);
    expect(await namesFor(incidentId)).toEqual([`incident-${incidentId}`]);
    expect((await incidentItem(h, incidentId))?.executionName).toBe(`incident-${incidentId}`);
  });

  it('an unknown incident is accepted and ignored', async () => {
    const out = await postPagerDuty(h, pagerDutyEvent('incident.reopened', 'QREOPENNONE'));
    expect(out.status).toBe(202);
    expect(out.outcome).toMatchObject({ action: 'ignored-unknown-incident' });
  });
});
