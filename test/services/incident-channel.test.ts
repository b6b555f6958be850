import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Incidents from '../../lambdas/adapters/incidents.ts';
import type * as ChannelService from '../../lambdas/services/incident-channel.ts';
import { parseRoster } from '../../lambdas/domain/roster.ts';
import type { IncidentRecord } from '../../lambdas/domain/records/incident.ts';
import { incidentChannelName } from '../../lambdas/messages/incident-channel.ts';
import { scenarioRoster, serviceOf, WEDNESDAY } from '../support/scenarios.ts';
import { slackIdOf } from '../support/slack.ts';
import { startWorld, type World } from '../support/world.ts';

/**
 * The incident channel's steps against the stand-ins, called as a retried step would call them: made once,
 * adopted when it exists, nothing when the policy leaves it off, and a Slack failure never thrown at comms.
 */
let world: World;
let web: WebClient;
let svc: typeof ChannelService;
let incidents: typeof Incidents;

const ENABLED = { ...scenarioRoster(), policy: { incidentChannel: { enabled: true, prefix: 'inc' } } };

beforeAll(async () => {
  world = await startWorld({ roster: ENABLED });
  web = await (await import('../../lambdas/adapters/slack.ts')).slack();
  svc = await import('../../lambdas/services/incident-channel.ts');
  incidents = await import('../../lambdas/adapters/incidents.ts');
});
afterAll(async () => {
  await world?.close();
});

async function useRoster(input: unknown): Promise<void> {
  const { importRoster } = await import('../../lambdas/adapters/roster-store.ts');
  const { dynamodb } = await import('../../lambdas/adapters/dynamodb.ts');
  const { tableName } = await import('../../lambdas/adapters/env.ts');
  await importRoster(parseRoster(input), { tableName: tableName(), dynamodb });
}

async function incident(incidentId: string, title: string): Promise<IncidentRecord> {
  const record: IncidentRecord = {
    incidentId,
    title,
    severity: 'SEV2',
    status: 'triggered',
    services: [serviceOf('sends')],
    regions: [],
    source: 'slack',
    startedAt: WEDNESDAY.americasMorning,
    cmocId: 'carla',
    executionName: `incident-${incidentId}`,
    rounds: 0,
  };
  await incidents.createIncident(record);
  return record;
}

const channelsNamed = async (name: string) =>
  ((await web.conversations.list({ limit: 1000 })).channels ?? []).filter((c) => c.name === name);

describe('incident channel name', () => {
  it('is <prefix>-<day>-<slug>: lowercase, hyphens, within 80 characters', () => {
    const at = { incidentId: 'S1', startedAt: '2026-12-03T23:30:00.000Z' };
    expect(incidentChannelName('inc', { ...at, title: 'Checkout: payments DOWN!! (EU)' })).toBe(
      'inc-2026-12-03-checkout-payments-down-eu',
    );
    const long = incidentChannelName('inc', { ...at, title: 'word '.repeat(40) });
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^inc-2026-12-03-word(-word)*$/);
    expect(incidentChannelName('inc', { ...at, title: '!!!' })).toBe('inc-2026-12-03-s1');
  });
});

describe('incident channel steps', () => {
  it('makes the channel once across a retried step: one summary, one pinned status', async () => {
    await incident('QSVC01', 'Retried step');
    await svc.openIncidentChannel('QSVC01');
    await svc.openIncidentChannel('QSVC01');
    const name = `inc-${WEDNESDAY.americasMorning.slice(0, 10)}-retried-step`;
    const made = await channelsNamed(name);
    expect(made).toHaveLength(1);
    const id = made[0]?.id ?? '';
    expect(world.slack.messages({ channel: id, text: /Retried step/ })).toHaveLength(1);
    expect((await web.pins.list({ channel: id })).items).toHaveLength(1);
    const record = await incidents.getIncident('QSVC01');
    expect(record.incidentChannel).toMatchObject({ id, name, pinned: true });
  });

  it('posts the summary and the status once though a try died after posting, before recording them', async () => {
    await incident('QSVC08', 'Died between');
    await svc.openIncidentChannel('QSVC08');
    const made = (await incidents.getIncident('QSVC08')).incidentChannel!;
    const before = world.slack.messages({ channel: made.id }).length;
    // What a try that died right after each post would have left: the channel, nothing posted recorded.
    await incidents.updateIncident('QSVC08', { incidentChannel: { id: made.id, name: made.name } });
    await svc.openIncidentChannel('QSVC08');
    const after = (await incidents.getIncident('QSVC08')).incidentChannel!;
    expect(world.slack.messages({ channel: made.id })).toHaveLength(before);
    expect(after).toMatchObject({ summaryTs: made.summaryTs, pinTs: made.pinTs, pinned: true });
  });

  it('shows a severity change on the pinned status, edited in place', async () => {
    const { handler } = await import('../../lambdas/handlers/steps/tell-severity-change/handler.ts');
    const id = (await incidents.getIncident('QSVC01')).incidentChannel?.id ?? '';
    const pinned = async () =>
      ((await web.pins.list({ channel: id })).items ?? []).map(
        (i) => (i as { message?: { text?: string } }).message?.text,
      );
    expect((await pinned())[0]).toMatch(/Status · SEV2/);
    await incidents.updateIncident('QSVC01', { severity: 'SEV1' });
    await handler({ incidentId: 'QSVC01', eventId: 'EVSEV1' });
    const after = await pinned();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/Status · SEV1/);
  });

  it('adopts a channel of that name that exists already, and invites the CMOC and the owners into it', async () => {
    const name = `inc-${WEDNESDAY.americasMorning.slice(0, 10)}-already-there`;
    const existing = (await web.conversations.create({ name })).channel?.id ?? '';
    await incident('QSVC02', 'Already there');
    await svc.openIncidentChannel('QSVC02');
    expect((await incidents.getIncident('QSVC02')).incidentChannel?.id).toBe(existing);
    expect(await channelsNamed(name)).toHaveLength(1);
    const members = (await web.conversations.members({ channel: existing })).members ?? [];
    expect(members).toEqual(expect.arrayContaining([slackIdOf(world, 'carla'), slackIdOf(world, 'amy')]));
  });

  it('archives once on close, after one closing summary', async () => {
    await incident('QSVC03', 'Closing time');
    await svc.openIncidentChannel('QSVC03');
    const id = (await incidents.getIncident('QSVC03')).incidentChannel?.id ?? '';
    await svc.closeIncidentChannel('QSVC03');
    await svc.closeIncidentChannel('QSVC03');
    expect((await web.conversations.info({ channel: id })).channel?.is_archived).toBe(true);
    expect(world.slack.messages({ channel: id, text: /archived now/ })).toHaveLength(1);
    expect((await incidents.getIncident('QSVC03')).incidentChannel?.archived).toBe(true);
  });

  it('gives a reopened incident a channel of its own, pointing at the archived one', async () => {
    await incident('QSVC07', 'Back again');
    await svc.openIncidentChannel('QSVC07');
    const first = (await incidents.getIncident('QSVC07')).incidentChannel!;
    await svc.closeIncidentChannel('QSVC07');
    await incidents.updateIncident('QSVC07', { reopenings: 1, status: 'triggered' });
    await svc.openIncidentChannel('QSVC07');
    await svc.openIncidentChannel('QSVC07');
    const second = (await incidents.getIncident('QSVC07')).incidentChannel!;
    expect(second.name).toBe(`${first.name}-reopened`);
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ pinned: true, previous: { id: first.id, name: first.name } });
    expect(await channelsNamed(second.name)).toHaveLength(1);
    expect(world.slack.messages({ channel: second.id, text: new RegExp(`<#${first.id}>`) })).toHaveLength(1);
    expect((await web.conversations.info({ channel: first.id })).channel?.is_archived).toBe(true);
    const { incidentOfChannel } = await import('../../lambdas/adapters/incident-ids.ts');
    expect(await incidentOfChannel(second.id, new Date())).toBe('QSVC07');
  });

  it('does not throw when Slack fails, and a later try finishes what the first left', async () => {
    await incident('QSVC04', 'Slack says no');
    world.slack.failNext('conversations.create', { error: 'restricted_action' });
    await expect(svc.openIncidentChannel('QSVC04')).resolves.toBeUndefined();
    expect((await incidents.getIncident('QSVC04')).incidentChannel).toBeUndefined();
    await svc.openIncidentChannel('QSVC04');
    expect((await incidents.getIncident('QSVC04')).incidentChannel?.pinned).toBe(true);
  });

  it("keeps a SEV1's channel open at its closing until the write-up follow-up is done", async () => {
    const { handler } = await import('../../lambdas/handlers/steps/notify-cmoc/handler.ts');
    const record = await incident('QSVC06', 'Write-up owed');
    await incidents.updateIncident('QSVC06', {
      severity: 'SEV1',
      status: 'resolved',
      resolvedAt: record.startedAt,
    });
    await svc.openIncidentChannel('QSVC06');
    const id = (await incidents.getIncident('QSVC06')).incidentChannel?.id ?? '';
    await handler({ incidentId: 'QSVC06', kind: 'closed' });
    expect((await web.conversations.info({ channel: id })).channel?.is_archived).toBe(false);
    await handler({ incidentId: 'QSVC06', kind: 'writeup_sent' });
    expect((await web.conversations.info({ channel: id })).channel?.is_archived).toBe(true);
  });

  it('makes no channel when the policy leaves it off', async () => {
    await useRoster(scenarioRoster());
    try {
      await incident('QSVC05', 'Policy off');
      await svc.openIncidentChannel('QSVC05');
      expect(await channelsNamed(`inc-${WEDNESDAY.americasMorning.slice(0, 10)}-policy-off`)).toHaveLength(0);
      expect((await incidents.getIncident('QSVC05')).incidentChannel).toBeUndefined();
    } finally {
      await useRoster(ENABLED);
    }
  });
});
