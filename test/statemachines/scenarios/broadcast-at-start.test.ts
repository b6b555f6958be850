import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterInput } from '../../../lambdas/domain/roster.ts';
import { executionNameFor } from '../../../lambdas/contract/execution-names.ts';
import type { IncidentRecord } from '../../../lambdas/domain/records/incident.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../../local/lambdas.ts';
import { waitFor, WAIT_BOUND_MS } from '../../../local/driver.ts';
import { executionArn } from '../../../local/stepfunctions/index.ts';
import {
  incidentRecord,
  roundsDrafted,
  scenarioRoster,
  WEDNESDAY,
  type Declared,
} from '../../support/scenarios.ts';
import { autoPress, press } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A company ladder with a SEV0 above SEV1 that opens with a company broadcast: the first update reaches
 * every affected account with a Slack channel once, as the company, through the broadcast machine; the
 * owner is asked only for the account the broadcast cannot reach; nobody hears the first update twice.
 * Time scale 300: the SEV0's 15-minute cadence is 3 s.
 */
const SCALE = 300;
const SERVICE = 'svc-zero';

function roster(): RosterInput {
  const base = scenarioRoster();
  const account = (id: string, slack: boolean) => ({
    id,
    name: `${id} Inc`,
    ownerId: 'amy',
    services: [SERVICE],
    emails: [`ops@${id}.example`],
    ...(slack ? { slackChannelId: `C${id.replace(/-/g, '').toUpperCase()}` } : {}),
  });
  return {
    ...base,
    accounts: [
      ...base.accounts,
      account('zero-a', true),
      account('zero-b', true),
      account('zero-mail', false),
    ],
    policy: {
      levels: [
        {
          name: 'SEV0',
          like: 'SEV1',
          cadenceMinutes: 15,
          maxCadenceMinutes: 30,
          ownerTimeoutMinutes: 5,
          backupTimeoutMinutes: 5,
          postmortemHours: 24,
          broadcastAtStart: true,
        },
        { name: 'SEV1' },
        { name: 'SEV2' },
        { name: 'SEV3' },
        { name: 'SEV4' },
      ],
      pagerduty: { priorities: { P0: 'SEV0' } },
    },
  };
}

let world: World;
const payloadOf = (metadata: unknown): Record<string, unknown> =>
  (metadata as { event_payload?: Record<string, unknown> } | undefined)?.event_payload ?? {};
let stopPressing = (): void => {};
const incident: Declared = {
  incidentId: 'QSEVZERO1',
  title: 'Scenario QSEVZERO1',
  executionArn: executionArn('incident', executionNameFor('QSEVZERO1')),
};

beforeAll(async () => {
  world = await startWorld({ roster: roster(), timeScale: SCALE });
  stopPressing = autoPress(world, 'owner:send', (m) => (m.text ?? '').includes(incident.title));
  const { declareIncident } = await import('../../../lambdas/adapters/incident-lifecycle.ts');
  const at = WEDNESDAY.americasMorning;
  const record: IncidentRecord = {
    incidentId: incident.incidentId,
    title: incident.title,
    severity: 'SEV0',
    status: 'triggered',
    services: [SERVICE],
    regions: [],
    source: 'slack',
    startedAt: at,
    cmocId: 'carla',
    executionName: executionNameFor(incident.incidentId),
    rounds: 0,
    clock: { at, origin: new Date().toISOString(), rate: SCALE },
  };
  await declareIncident(record);
});

afterAll(async () => {
  stopPressing();
  await world?.close();
});

describe('a level that opens with a company broadcast (SEV0)', () => {
  it('broadcasts the first update to the Slack channels and asks the owner only for the rest', async () => {
    await press(world, 'carla', incident, 'cmoc:start');
    const [first] = await roundsDrafted(incident.incidentId, 1);
    expect(first!.phase).toBe('initial');
    expect(first!.broadcastId).toMatch(/^b-[0-9a-f]{16}$/);
    expect(first!.accountIds).toEqual(['zero-mail']);
    expect(first!.owners).toEqual(['amy']);

    const broadcastId = first!.broadcastId!;
    const arn = executionArn('broadcast', `broadcast-${broadcastId}`, LOCAL_REGION, LOCAL_ACCOUNT);
    await world.engine.waitForStatus(arn, 'SUCCEEDED', WAIT_BOUND_MS);
    const { findBroadcast } = await import('../../../lambdas/adapters/broadcasts.ts');
    const record = await findBroadcast(broadcastId);
    expect(record).toMatchObject({
      incidentId: incident.incidentId,
      requestedBy: 'carla',
      status: 'finished',
    });
    // The company's words, from SEV0's own template and cadence; no personal greeting or signature.
    expect(record!.text).toContain('major outage');
    expect(record!.text).toContain('every 15 minutes');
    expect(record!.text).not.toMatch(/^Hey /m);
    expect(record!.text).not.toMatch(/— [^\n]*Scenario Analytics\s*$/);

    // Each channel: the broadcast once, and no owner's post of the first round (later rounds may follow).
    for (const channel of ['CZEROA', 'CZEROB']) {
      const posts = world.slack
        .messages({ channel })
        .map((p): Record<string, unknown> => ({ ...payloadOf(p.metadata), text: p.text }));
      expect(posts.filter((p) => p.broadcast_id === broadcastId).map((p) => p.text)).toEqual([record!.text]);
      expect(posts.filter((p) => p.incident_id === incident.incidentId && p.round === first!.round)).toEqual(
        [],
      );
    }

    // The owner's send reaches the one account without Slack, by email, once.
    const { logOf } = await import('../../../lambdas/adapters/notification-log.ts');
    const sent = await waitFor(
      'the owner’s first update to reach zero-mail',
      async () => {
        const log = (await logOf(incident.incidentId, first!.round)).filter((e) => e.status === 'sent');
        return log.length > 0 ? log : undefined;
      },
      WAIT_BOUND_MS,
    );
    expect(sent.map((e) => [e.accountId, e.channel])).toEqual([['zero-mail', 'email']]);
  });

  it('goes on at SEV0’s cadence, with every account in the update rounds', async () => {
    const rounds = await roundsDrafted(incident.incidentId, 2);
    expect(rounds[1]!.phase).toBe('update');
    expect(rounds[1]!.broadcastId).toBeUndefined();
    expect([...rounds[1]!.accountIds].sort()).toEqual(['zero-a', 'zero-b', 'zero-mail']);
  });

  it('is what the dry-run said: the same accounts broadcast to, the same left to the owners', async () => {
    const [first] = await roundsDrafted(incident.incidentId, 1);
    const { planIncident } = await import('../../../lambdas/domain/plan.ts');
    const { factsOf } = await import('../../../lambdas/domain/draft-for.ts');
    const { broadcastLogOf } = await import('../../../lambdas/adapters/notification-log.ts');
    const record = await incidentRecord(incident.incidentId);
    const plan = planIncident({
      roster: world.roster,
      incident: factsOf(record, world.roster.policy),
      phase: 'initial',
      at: new Date(record.startedAt),
    });
    const told = (await broadcastLogOf(first!.broadcastId!)).map((e) => e.accountId);
    expect(plan.broadcast?.map((a) => a.id).sort()).toEqual([...told].sort());
    expect(plan.owners.flatMap((o) => o.accounts.map((a) => a.account.id))).toEqual(first!.accountIds);
  });
});
