import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comms, incidentItem, pagerDutyEvent, postPagerDuty } from '../../support/frontdoors.ts';
import { exampleRoster } from '../../support/rosters.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * Who the engineering incident lead is: PagerDuty's assignee (through the roster's pagerdutyUserId) or the
 * CMOC's `/comms lead`, and the SEV1 write-up reminder going to them. Against the local runtime; the
 * reminder is the notify-cmoc handler called as the write-up follow-up calls it, on incidents seeded here.
 */
const LENA = { id: 'lena', pagerduty: 'PLENA01', slack: 'U0AMER03', name: 'Lena Park' };
const DIEGO = { id: 'diego', pagerduty: 'PDIEGO2', slack: 'U0AMER04', name: 'Diego Santos' };
const MARCUS_SLACK = 'U0AMER02'; // on the americas CMOC rota
const SOFIA_SLACK = 'U0EMEA03'; // in the roster, not on any CMOC rota

let h: World;

beforeAll(async () => {
  const roster = exampleRoster();
  for (const who of [LENA, DIEGO]) {
    const person = roster.people.find((p) => p.id === who.id);
    if (!person) throw new Error(`the example roster has no ${who.id}`);
    person.pagerdutyUserId = who.pagerduty;
  }
  h = await startWorld({ roster, timeScale: 1 });
});

afterAll(async () => {
  await h?.close();
});

const user = (id: string) => ({ id, type: 'user_reference', summary: `PagerDuty user ${id}` });

/** A PagerDuty event of `type` (its data is the incident) with these assignees; returns what came of it. */
async function pagerDuty(type: string, incidentId: string, assignees: string[]) {
  const envelope = pagerDutyEvent('incident.triggered', incidentId, { assignees: assignees.map(user) });
  envelope.event.event_type = type;
  const out = await postPagerDuty(h, envelope);
  expect(out.status, out.text).toBe(202);
  return out.outcome;
}

const leadOf = async (incidentId: string) => (await incidentItem(h, incidentId))?.leadId;

describe('PagerDuty assignees name the lead', () => {
  it('incident.triggered: the first assignee the roster knows becomes the lead', async () => {
    await pagerDuty('incident.triggered', 'QLEADTRIG1', ['PNOBODY1', LENA.pagerduty, DIEGO.pagerduty]);
    expect(await leadOf('QLEADTRIG1')).toBe(LENA.id);
  });

  it('incident.triggered with no assignee the roster knows: no lead, and the incident is still declared', async () => {
    const body = await pagerDuty('incident.triggered', 'QLEADTRIG2', ['PNOBODY1']);
    expect(body).toMatchObject({ action: 'started-execution' });
    const item = await incidentItem(h, 'QLEADTRIG2');
    expect(item?.incidentId).toBe('QLEADTRIG2');
    expect(item?.leadId).toBeUndefined();
  });

  it('incident.reassigned: the new assignee becomes the lead; an unknown id changes nothing', async () => {
    await pagerDuty('incident.triggered', 'QLEADMOVE1', [LENA.pagerduty]);
    expect(await leadOf('QLEADMOVE1')).toBe(LENA.id);

    const moved = await pagerDuty('incident.reassigned', 'QLEADMOVE1', [DIEGO.pagerduty]);
    expect(moved).toMatchObject({ action: 'recorded-lead', leadId: DIEGO.id });
    expect(await leadOf('QLEADMOVE1')).toBe(DIEGO.id);

    const unknown = await pagerDuty('incident.reassigned', 'QLEADMOVE1', ['PNOBODY9']);
    expect(unknown).toMatchObject({ action: 'lead-unchanged' });
    expect(await leadOf('QLEADMOVE1')).toBe(DIEGO.id);
  });

  it('incident.acknowledged records the assignee too, alongside the acknowledgement', async () => {
    await pagerDuty('incident.triggered', 'QLEADACK1', []);
    const out = await pagerDuty('incident.acknowledged', 'QLEADACK1', [DIEGO.pagerduty]);
    expect(out).toMatchObject({ action: 'recorded-acknowledged', leadId: DIEGO.id });
    expect(await incidentItem(h, 'QLEADACK1')).toMatchObject({ status: 'acknowledged', leadId: DIEGO.id });
  });

  it('incident.reassigned for an incident we never saw: 202, nothing written', async () => {
    const out = await pagerDuty('incident.reassigned', 'QLEADNONE1', [LENA.pagerduty]);
    expect(out).toMatchObject({ action: 'ignored-unknown-incident' });
    expect(await incidentItem(h, 'QLEADNONE1')).toBeUndefined();
  });

  it('an assignee list PagerDuty never sends (not a list) is no reason to refuse the event', async () => {
    const envelope = pagerDutyEvent('incident.triggered', 'QLEADODD1', { assignees: 'PLENA01' });
    const out = await postPagerDuty(h, envelope);
    expect(out.status).toBe(202);
    expect(await leadOf('QLEADODD1')).toBeUndefined();
  });
});

describe('/comms lead', () => {
  it('the CMOC names the lead with a mention, escaped or as typed', async () => {
    await pagerDuty('incident.triggered', 'QLEADCMD1', []);
    const typed = await comms(h, MARCUS_SLACK, 'lead QLEADCMD1 @lena');
    expect(typed.reply).toMatch(/Lena Park is now the engineering lead of \*QLEADCMD1\*/);
    expect(await leadOf('QLEADCMD1')).toBe(LENA.id);

    const escaped = await comms(h, MARCUS_SLACK, `lead QLEADCMD1 <@${DIEGO.slack}|diego>`);
    expect(escaped.reply).toMatch(/Diego Santos is now the engineering lead .* instead of Lena Park/);
    expect(await leadOf('QLEADCMD1')).toBe(DIEGO.id);

    const byName = await comms(h, MARCUS_SLACK, 'lead QLEADCMD1 @lena.park');
    expect(byName.reply).toMatch(/Lena Park is now the engineering lead/);
    expect(await leadOf('QLEADCMD1')).toBe(LENA.id);
  });

  it('tells the person named, and /comms status shows who leads', async () => {
    await pagerDuty('incident.triggered', 'QLEADCMD3', []);
    const slack = h.runtime.slack!;
    const out = await comms(h, MARCUS_SLACK, 'lead QLEADCMD3 @diego');
    expect(out.reply).toMatch(/Diego Santos is now the engineering lead of \*QLEADCMD3\*/);
    const dm = slack
      .messages({ user: DIEGO.slack })
      .filter((m) => /named you the engineering lead/.test(m.text ?? ''))
      .at(-1);
    expect(dm?.text).toContain('Marcus');
    expect(dm?.text).toContain('`/comms postmortem QLEADCMD3 <link>`');
    expect((await comms(h, MARCUS_SLACK, 'status QLEADCMD3')).reply).toMatch(/CMOC .+ · lead Diego Santos/);
  });

  it('someone who is not a CMOC is refused, and nothing changes', async () => {
    await pagerDuty('incident.triggered', 'QLEADCMD2', [LENA.pagerduty]);
    const out = await comms(h, SOFIA_SLACK, 'lead QLEADCMD2 @diego');
    expect(out.status).toBe(200);
    expect(out.reply).toMatch(
      /Naming the engineering lead is the CMOC's call: ask .+, the CMOC of QLEADCMD2/,
    );
    expect(out.reply).toMatch(/Nothing changed/);
    expect(await leadOf('QLEADCMD2')).toBe(LENA.id);
  });

  it('someone outside the roster cannot use it at all', async () => {
    const out = await comms(h, 'U0NOTINROST', 'lead QLEADCMD2 @diego');
    expect(out.reply).toMatch(/Only people in the incident-comms roster can use `\/comms lead`/);
    expect(await leadOf('QLEADCMD2')).toBe(LENA.id);
  });

  it('a person the roster does not know is refused, naming them, and nothing changes', async () => {
    const out = await comms(h, MARCUS_SLACK, 'lead QLEADCMD2 @zed.nobody');
    expect(out.reply).toMatch(
      /@zed\.nobody is not in the incident-comms roster, so they cannot be the engineering lead\. Nothing changed\./,
    );
    expect(await leadOf('QLEADCMD2')).toBe(LENA.id);
  });

  it('an unknown incident, and no person at all, are said in words', async () => {
    expect((await comms(h, MARCUS_SLACK, 'lead QNOSUCH99 @lena')).reply).toBe(
      'There is no incident QNOSUCH99.',
    );
    expect((await comms(h, MARCUS_SLACK, 'lead')).reply).toMatch(/Name a person in the roster/);
  });

  it('is in the help', async () => {
    expect((await comms(h, SOFIA_SLACK, 'help')).reply).toMatch(/`\/comms lead \[incident-id\] @person`/);
  });
});

describe('the write-up reminder', () => {
  /** A resolved SEV1 waiting for its write-up, written straight to the table (no execution needed). */
  async function resolvedSev1(incidentId: string, leadId?: string) {
    const { createIncident } = await import('../../../lambdas/adapters/incidents.ts');
    await createIncident({
      incidentId,
      title: `Write-up test ${incidentId}`,
      severity: 'SEV1',
      status: 'resolved',
      services: ['query'],
      regions: [],
      source: 'slack',
      startedAt: '2026-11-04T10:00:00.000Z',
      resolvedAt: '2026-11-04T12:00:00.000Z',
      cmocId: 'marcus',
      ...(leadId ? { leadId } : {}),
      executionName: `lead-test-${incidentId}`,
      rounds: 2,
    });
  }

  async function remind(incidentId: string, kind = 'postmortem_reminder' as const) {
    const { handler } = await import('../../../lambdas/handlers/steps/notify-cmoc/handler.ts');
    return handler({ incidentId, kind });
  }

  const dms = (slackUserId: string, incidentId: string) =>
    h.runtime.slack!.messages({ user: slackUserId }).filter((m) => (m.text ?? '').includes(incidentId));

  it("goes to the lead's DM, addressed to them; the CMOC hears the lead was reminded", async () => {
    await resolvedSev1('SLEAD-01', LENA.id);
    await remind('SLEAD-01');
    const [toLead, ...more] = dms(LENA.slack, 'SLEAD-01');
    expect(more).toHaveLength(0);
    expect(toLead?.text).toMatch(/You're the engineering lead for this incident/);
    expect(toLead?.text).toMatch(/promised a write-up by 12:00 UTC/);
    expect(toLead?.text).toMatch(/PagerDuty status update .*`\/comms postmortem SLEAD-01 <link>`/);

    const cmoc = dms(MARCUS_SLACK, 'SLEAD-01');
    expect(cmoc.map((m) => m.text)).toEqual([
      expect.stringMatching(/Reminded Lena Park about the write-up due 12:00 UTC/),
    ]);
    expect(cmoc[0]?.text).not.toMatch(/For the engineering incident lead/);
  });

  it('without a lead, the CMOC gets the reminder to pass on, as before', async () => {
    await resolvedSev1('SLEAD-02');
    await remind('SLEAD-02');
    const cmoc = dms(MARCUS_SLACK, 'SLEAD-02');
    expect(cmoc).toHaveLength(1);
    expect(cmoc[0]?.text).toMatch(/For the engineering incident lead: customers were promised a write-up/);
  });

  it('a lead whose DM cannot be posted: the CMOC gets the reminder, saying so', async () => {
    await resolvedSev1('SLEAD-03', DIEGO.id);
    h.runtime.slack!.failNext('chat.postMessage', { error: 'account_inactive' }, 1, `D${DIEGO.slack}`);
    await remind('SLEAD-03');
    expect(dms(DIEGO.slack, 'SLEAD-03')).toHaveLength(0);
    const cmoc = dms(MARCUS_SLACK, 'SLEAD-03');
    expect(cmoc).toHaveLength(1);
    expect(cmoc[0]?.text).toMatch(
      /Could not remind Diego Santos in Slack \(.*account_inactive.*\); please pass this on/,
    );
  });

  it('overdue and given up stay with the CMOC, naming the lead', async () => {
    await resolvedSev1('SLEAD-04', LENA.id);
    const { handler } = await import('../../../lambdas/handlers/steps/notify-cmoc/handler.ts');
    await handler({ incidentId: 'SLEAD-04', kind: 'postmortem_overdue' });
    await handler({ incidentId: 'SLEAD-04', kind: 'postmortem_given_up' });
    expect(dms(LENA.slack, 'SLEAD-04')).toHaveLength(0);
    expect(dms(MARCUS_SLACK, 'SLEAD-04').map((m) => m.text)).toEqual([
      expect.stringMatching(/is overdue\. Please chase Lena Park, the engineering lead/),
      expect.stringMatching(/follow-up has ended \(engineering lead: Lena Park\)/),
    ]);
  });
});
