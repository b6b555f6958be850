import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../local/driver.ts';
import {
  comms,
  incidentEvents,
  incidentExecutions,
  incidentItem,
  postSlack,
  settled,
  tableCount,
} from '../../support/frontdoors.ts';
import { ownerDmsFor, pressOn } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/** POST /slack/commands: `/comms …` typed by people, over HTTP with Slack's signature. */
let h: World;
let cmoc: string; // a roster person's Slack id: anyone in the roster may declare
const OUTSIDER = 'U0NOTINROST';
const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');

beforeAll(async () => {
  h = await startWorld({ timeScale: 1 });
  cmoc = h.runtime.roster.people[1]!.slackUserId;
});
afterAll(async () => {
  await h?.close();
});

const quietCount = () => settled('the table', () => tableCount(h), 250);

describe('help and what is not understood', () => {
  it.each(['', 'help', 'HELP'])('"/comms %s" → the usage, ephemeral', async (text) => {
    const out = await comms(h, OUTSIDER, text);
    expect(out.status).toBe(200);
    expect(out.responseType).toBe('ephemeral');
    expect(out.reply).toMatch(/\/comms declare/);
    expect(out.reply).toMatch(/Services: .*query/);
  });

  it('an unknown subcommand → says so, then the usage (200, never an error page)', async () => {
    const out = await comms(h, cmoc, 'frobnicate now');
    expect(out.status).toBe(200);
    expect(out.reply).toMatch(/There is no `\/comms frobnicate`/);
    expect(out.reply).toMatch(/\/comms status/);
  });

  it.each([
    ['declare', /how severe/],
    ['declare SEV9 Everything is down', /not a severity/],
    ['declare SEV2', /title/],
    ['declare SEV2 "Dashboards slow', /never closed/],
    ['declare SEV2 "Dashboards slow" telepathy', /"telepathy" is not a known service/],
    ['update', /No incident is open|Say what engineering knows/],
    ['maintenance', /Name the system/],
    ['maintenance db 2026-99-01T00:00Z 2026-11-01T00:00Z', /not a time/],
    ['maintenance db 2099-01-02T00:00Z 2099-01-01T00:00Z', /end after it starts/],
    ['maintenance db 2020-01-01T00:00Z 2020-01-01T02:00Z', /already over/],
    ['maintenance db 2099-01-01T00:00Z 2099-01-01T02:00Z mars', /"mars" is not a known region/],
  ])('"/comms %s" → what is wrong, then the usage; nothing written', async (text, message) => {
    const before = await quietCount();
    const out = await comms(h, cmoc, text);
    expect(out.status).toBe(200);
    expect(out.responseType).toBe('ephemeral');
    expect(out.reply).toMatch(message);
    expect(await tableCount(h)).toBe(before);
  });

  it('only people in the roster may change an incident; anyone may ask for status', async () => {
    const before = await quietCount();
    const out = await comms(h, OUTSIDER, 'declare SEV1 "Login failures" query');
    expect(out.reply).toMatch(/Only people in the incident-comms roster/);
    expect(await tableCount(h)).toBe(before);
    expect((await comms(h, OUTSIDER, 'status')).reply).not.toMatch(/Only people/);
  });
});

describe('an incident declared in Slack', () => {
  const channel = 'C0INCBILL01';
  let incidentId: string;

  it('declare → a recognisable id, the same record and execution as a PagerDuty trigger, source slack', async () => {
    const out = await comms(h, cmoc, 'declare sev3 "Billing sync &amp; invoices delayed" billing', channel);
    expect(out.reply).toMatch(new RegExp(`Declared \\*S${today}-\\d\\d\\*`));
    incidentId = /\*(S\d{8}-\d{2,})\*/.exec(out.reply)![1]!;
    expect(out.reply).toMatch(/Affects billing: \d+ accounts? of \d+ owners?/);
    const item = await incidentItem(h, incidentId);
    expect(item).toMatchObject({
      source: 'slack',
      severity: 'SEV3',
      status: 'triggered',
      title: 'Billing sync & invoices delayed',
      services: ['billing'],
      executionName: `incident-${incidentId}`,
    });
    expect(h.runtime.roster.people.map((p) => p.id)).toContain(item?.cmocId);
    const running = (await incidentExecutions(h)).filter((e) => e.name === `incident-${incidentId}`);
    expect(running).toHaveLength(1);
  });

  it('a second declaration gets the next number; without services it covers every service', async () => {
    const out = await comms(h, cmoc, 'declare SEV4 Scaling event on the EU cluster', 'C0INCSCALE1');
    const second = /\*(S\d{8}-\d{2,})\*/.exec(out.reply)![1]!;
    expect(Number(second.split('-')[1])).toBe(Number(incidentId.split('-')[1]) + 1);
    expect(out.reply).toMatch(/Affects every service/);
    expect((await incidentItem(h, second))?.title).toBe('Scaling event on the EU cluster');
  });

  it('update in the incident’s channel → an engineering update event for that incident', async () => {
    const out = await comms(h, cmoc, 'update Root cause found: a stuck queue.\nFix rolling out.', channel);
    expect(out.reply).toContain(`Engineering update recorded for *${incidentId}*`);
    expect((await incidentItem(h, incidentId))?.engineeringUpdate).toBe(
      'Root cause found: a stuck queue.\nFix rolling out.',
    );
    const events = await incidentEvents(h, incidentId);
    expect(events.map((e) => e.type)).toEqual(['engineering_update']);
  });

  it('elsewhere, with two incidents open: asks which one, and accepts an explicit id', async () => {
    const ask = await comms(h, cmoc, 'update Still investigating', 'C0ELSEWHERE');
    expect(ask.reply).toMatch(/Several incidents are open/);
    expect(ask.reply).toContain(incidentId);
    const named = await comms(h, cmoc, `update ${incidentId} Fix deployed to half the fleet`, 'C0ELSEWHERE');
    expect(named.reply).toContain(`*${incidentId}*`);
    expect((await incidentItem(h, incidentId))?.engineeringUpdate).toBe('Fix deployed to half the fleet');
    const unknown = await comms(h, cmoc, 'status S19990101-01', 'C0ELSEWHERE');
    expect(unknown.reply).toMatch(/There is no incident S19990101-01/);
  });

  it('status → per account of the latest round: who is pending (and with whom), who has been told', async () => {
    const dms = await ownerDmsFor(h, 'Billing sync');
    const pending = await comms(h, OUTSIDER, 'status', channel);
    expect(pending.reply).toMatch(
      new RegExp(`SEV3 · Billing sync & invoices delayed\\* \\(\`${incidentId}\`\\) — open`),
    );
    expect(pending.reply).toMatch(/Round 1 \(initial\): 0 notified · \d+ pending/);
    expect(pending.reply).toMatch(/⏳ .+ — waiting for /);

    const first = dms[0]!;
    await pressOn(h, first, 'owner:sent_myself');
    const told = await waitFor('status to show a notified account', async () => {
      const out = await comms(h, OUTSIDER, `status ${incidentId}`);
      return /✅ .+ — \w+ sent by .+ themselves/.test(out.reply) ? out.reply : undefined;
    });
    expect(told).toMatch(/[1-9]\d* notified/);
  });

  it('resolve [summary] → resolution with the summary as root cause; a second resolve changes nothing', async () => {
    const out = await comms(h, cmoc, 'resolve A stuck queue consumer; restarted and drained', channel);
    expect(out.reply).toContain(`Resolved *${incidentId}*`);
    const item = await incidentItem(h, incidentId);
    expect(item).toMatchObject({
      status: 'resolved',
      rootCause: 'A stuck queue consumer; restarted and drained',
    });
    expect(typeof item?.resolvedAt).toBe('string');
    expect((await incidentEvents(h, incidentId)).map((e) => e.type)).toContain('resolved');
    const again = await comms(h, cmoc, 'resolve', channel);
    expect(again.reply).toMatch(/already resolved/);
    const update = await comms(h, cmoc, 'update too late', channel);
    expect(update.reply).toMatch(/is resolved; updates are no longer sent/);
  });
});

describe('planned maintenance', () => {
  it('maintenance <system> <start> <end> [regions] → a SEV4 incident carrying the window', async () => {
    // Ten days ahead, 02:00–03:00 UTC (the end given at +01:00).
    const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const out = await comms(
      h,
      cmoc,
      `maintenance "query cluster" ${day}T02:00Z ${day}T04:00+01:00 eu`,
      'C0MAINT0001',
    );
    expect(out.reply).toMatch(new RegExp(`Planned maintenance \\*M${today}-01\\*`));
    const incidentId = `M${today}-01`;
    const item = await incidentItem(h, incidentId);
    expect(item).toMatchObject({
      severity: 'SEV4',
      source: 'slack',
      title: 'Maintenance – query cluster',
      services: ['query'],
      regions: ['eu'],
      maintenance: {
        system: 'query cluster',
        start: `${day}T02:00:00.000Z`,
        end: `${day}T03:00:00.000Z`,
        regions: ['eu'],
      },
    });
    expect((await incidentExecutions(h)).some((e) => e.name === `incident-${incidentId}`)).toBe(true);
  });

  it('refuses a window ending later than its workflow can live, naming the limit, and declares nothing', async () => {
    const before = await incidentExecutions(h);
    const out = await comms(h, cmoc, 'maintenance kafka 2099-03-01T02:00Z 2099-03-01T04:00Z', 'C0MAINT0002');
    expect(out.reply).toMatch(/must end within 13 days .*runs at most 14 days \(1,209,600 s\)/);
    expect(await incidentExecutions(h)).toHaveLength(before.length);
  });
});

describe('who may call: signatures', () => {
  const body = new URLSearchParams({
    command: '/comms',
    text: 'declare SEV1 "Forged" query',
    user_id: 'U0AMER02',
  }).toString();
  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['a stale timestamp', { timestamp: String(now - 301) }],
    ['a wrong secret', { secret: 'not-the-secret' }],
    ['no signature', { signature: null }],
  ])('%s → 401, nothing written', async (_what, options) => {
    const before = await quietCount();
    const out = await postSlack(h, '/slack/commands', body, options);
    expect(out.status).toBe(401);
    expect(await tableCount(h)).toBe(before);
  });
});

describe('as API Gateway may deliver it', () => {
  it('a base64-encoded form body (HTTP API does this for form posts) is verified over its decoded bytes', async () => {
    const { handler } = await import('../../../lambdas/handlers/http/slack-commands/handler.ts');
    const { signSlack } = await import('../../../lambdas/adapters/signatures.ts');
    const body = new URLSearchParams({ command: '/comms', text: 'help', user_id: OUTSIDER }).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const event = {
      version: '2.0',
      routeKey: 'POST /slack/commands',
      rawPath: '/slack/commands',
      rawQueryString: '',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signSlack(body, timestamp, h.runtime.secrets.slackSigning),
      },
      requestContext: {} as never,
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    };
    const { lambdaContext } = await import('../../../local/lambdas.ts');
    const out = await handler(event, lambdaContext('slack-commands', 10));
    expect(out?.statusCode).toBe(200);
    expect(String(out?.body)).toMatch(/\/comms declare/);
  });
});
