import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPagerDuty, signSlack } from '../../../lambdas/adapters/signatures.ts';
import {
  allExecutionCount,
  type Answer,
  pagerDutyEvent,
  postPagerDuty,
  postSlack,
  tableCount,
} from '../../support/frontdoors.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * fast-check over the bodies and headers of the three routes, against the running local runtime.
 * Phase 1 (nothing in the background): whatever arrives, never a 5xx, and a rejection (4xx) writes
 * nothing — no table item, no execution. Phase 2: signed, well-formed requests with random contents
 * that are acted on — still never a 5xx. Runs are bounded so the suite stays fast.
 */
const RUNS = 150;
let h: World;

beforeAll(async () => {
  h = await startWorld({ timeScale: 1 });
});
afterAll(async () => {
  await h?.close();
});

const footprint = async () => ({ items: await tableCount(h), executions: await allExecutionCount(h) });

/** Sends, then checks the two rules; returns the answer for route-specific checks. */
async function check(send: () => Promise<Answer>): Promise<Answer> {
  const before = await footprint();
  const out = await send();
  expect(out.status, out.text).toBeLessThan(500);
  if (out.status >= 400) expect(await footprint()).toEqual(before);
  return out;
}

// ---- generators -----------------------------------------------------------------------------------

const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 300 });
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ maxLength: 400 }));
const anyId = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Z0-9]{1,20}$/), weight: 4 },
  { arbitrary: fc.string({ maxLength: 80 }), weight: 2 },
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: fc.string({ minLength: 300, maxLength: 2000 }), weight: 1 },
);
/** Every type PagerDuty sends, except the one that would start a workflow (phase 2 covers it). */
const quietEventTypes = fc.constantFrom(
  'incident.acknowledged',
  'incident.annotated',
  'incident.priority_updated',
  'incident.reopened',
  'incident.resolved',
  'incident.status_update_published',
  'incident.escalated',
  'incident.responder.added',
  'pagey.ping',
  'service.updated',
);
const pdData = fc.oneof(
  { arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })), weight: 1 },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        id: anyId,
        type: fc.constantFrom('incident', 'incident_note', 'incident_status_update', 'ping', 42),
        incident: fc.oneof(
          { arbitrary: fc.record({ id: anyId }), weight: 4 },
          { arbitrary: fc.constant(null), weight: 1 },
          { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
        ),
        title: fc.oneof(anyText, fc.integer()),
        content: fc.oneof(anyText, fc.constant(null)),
        message: anyText,
        urgency: fc.oneof(fc.constantFrom('high', 'low', 'suppressed'), fc.constant(null)),
        priority: fc.oneof(
          fc.record({ summary: fc.oneof(fc.constantFrom('P1', 'P5', 'zz'), fc.constant(null)) }),
          fc.constant(null),
        ),
        created_at: fc.oneof(
          fc.constant('not a date'),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
      },
      { requiredKeys: [] },
    ),
  },
);
const pdEnvelope = fc.record(
  {
    event: fc.record(
      {
        id: fc.oneof({ arbitrary: fc.uuid(), weight: 4 }, { arbitrary: anyId, weight: 1 }),
        event_type: fc.oneof(
          { arbitrary: quietEventTypes, weight: 5 },
          { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
        ),
        resource_type: fc.oneof(fc.string(), fc.constant(null)),
        occurred_at: fc.oneof(fc.string(), fc.constant(null)),
        data: pdData,
      },
      { requiredKeys: ['event_type', 'id', 'data'] },
    ),
  },
  { requiredKeys: ['event'] },
);
const bigBody = JSON.stringify(
  pagerDutyEvent('incident.annotated', 'QFUZZBIG1', { content: 'x'.repeat(257 * 1024) }),
);
const pdBody = fc.oneof(
  { arbitrary: pdEnvelope.map((v) => JSON.stringify(v)), weight: 12 },
  { arbitrary: anyText, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: pdEnvelope.map((v) => JSON.stringify(v).slice(0, -1)), weight: 1 },
  { arbitrary: fc.constant(bigBody), weight: 1 },
);
/** How a request is signed: mostly properly (so the parsing behind it is reached), else badly or not at all. */
const pdSigning = fc.oneof(
  { arbitrary: fc.constantFrom('valid', 'valid-among-garbage'), weight: 3 },
  { arbitrary: fc.constantFrom('wrong-secret', 'garbage', 'absent', 'empty'), weight: 1 },
);

function pdSignature(kind: string, body: string): string | null {
  const valid = signPagerDuty(body, h.runtime.secrets.pagerduty[0] ?? '');
  switch (kind) {
    case 'valid':
      return valid;
    case 'valid-among-garbage':
      return `v2=zz, v1=${'0'.repeat(64)},${valid}`;
    case 'wrong-secret':
      return signPagerDuty(body, 'not-the-secret');
    case 'garbage':
      return `v1=${randomUUID()}`;
    case 'empty':
      return '';
    default:
      return null;
  }
}

const slackSigning = fc.oneof(
  { arbitrary: fc.constant('valid'), weight: 3 },
  { arbitrary: fc.constantFrom('stale', 'future', 'bad-timestamp', 'wrong-secret', 'absent'), weight: 1 },
);

function slackHeaders(kind: string, body: string): { timestamp: string | null; signature: string | null } {
  const now = Math.floor(Date.now() / 1000);
  const ts = kind === 'stale' ? now - 400 : kind === 'future' ? now + 400 : now;
  const timestamp = kind === 'bad-timestamp' ? `${now}.5` : kind === 'absent' ? null : String(ts);
  const secret = kind === 'wrong-secret' ? 'not-the-secret' : h.runtime.secrets.slackSigning;
  return { timestamp, signature: kind === 'absent' ? null : signSlack(body, timestamp ?? '', secret) };
}

const slackUser = () =>
  fc.oneof(
    fc.constantFrom(...h.runtime.roster.people.map((p) => p.slackUserId)),
    fc.string({ maxLength: 30 }),
  );
const actionIdArb = fc.oneof(
  fc.constantFrom(
    'owner:send',
    'owner:sent_myself',
    'owner:cant',
    'owner:edit',
    'cmoc:start',
    'cmoc:no_impact',
    'cmoc:approve',
    'cmoc:severity',
  ),
  fc.string({ maxLength: 40 }),
);
const interactionPayload = () =>
  fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 1 },
    {
      weight: 5,
      arbitrary: fc.record(
        {
          type: fc.constantFrom(
            'block_actions',
            'view_submission',
            'shortcut',
            'view_closed',
            'block_suggestion',
          ),
          user: fc.oneof(fc.record({ id: slackUser() }), fc.jsonValue({ maxDepth: 1 })),
          trigger_id: fc.string({ maxLength: 40 }),
          response_url: fc.oneof(fc.webUrl(), fc.string()),
          channel: fc.record({ id: fc.string({ maxLength: 20 }) }),
          actions: fc.array(
            fc.record(
              {
                action_id: actionIdArb,
                value: fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)),
                block_id: fc.string({ maxLength: 40 }),
                selected_option: fc.record({ value: fc.constantFrom('SEV1', 'SEV5', '') }),
              },
              { requiredKeys: ['action_id'] },
            ),
            { maxLength: 3 },
          ),
          view: fc.record(
            {
              id: fc.string({ maxLength: 12 }),
              callback_id: fc.oneof(fc.constant('owner:edit'), fc.string({ maxLength: 20 })),
              private_metadata: fc.oneof(
                fc.string({ maxLength: 40 }),
                fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
              ),
              state: fc.oneof(
                fc.record({
                  values: fc.record({
                    draft: fc.record({ text: fc.record({ value: anyText }) }),
                    confirm: fc.record({
                      anyway: fc.record({
                        selected_options: fc.array(fc.record({ value: fc.constantFrom('send-anyway', 'x') })),
                      }),
                    }),
                  }),
                }),
                fc.jsonValue({ maxDepth: 3 }),
              ),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: ['type', 'user', 'actions', 'view'] },
      ),
    },
  );
const interactionBody = () =>
  fc.oneof(
    {
      arbitrary: interactionPayload().map((p) =>
        new URLSearchParams({ payload: JSON.stringify(p) }).toString(),
      ),
      weight: 6,
    },
    { arbitrary: anyText, weight: 1 },
    { arbitrary: fc.string().map((p) => `payload=${encodeURIComponent(p)}`), weight: 1 },
  );

const SUBCOMMANDS = [
  'declare',
  'update',
  'resolve',
  'status',
  'maintenance',
  'help',
  'postmortem',
  'broadcast',
];
const commandText = fc.oneof(
  anyText,
  fc
    .tuple(fc.constantFrom(...SUBCOMMANDS, 'DECLARE', 'nope'), anyText)
    .map(([sub, rest]) => `${sub} ${rest}`),
  fc
    .tuple(fc.constantFrom('SEV1', 'sev2', '3', 'SEV9', ''), anyText, fc.string({ maxLength: 30 }))
    .map(([sev, title, services]) => `declare ${sev} "${title}" ${services}`),
);
const commandBody = (user: fc.Arbitrary<string>, text: fc.Arbitrary<string>) =>
  fc
    .record(
      {
        user_id: user,
        text,
        channel_id: fc.oneof(fc.constantFrom('C0FUZZ0001', 'D0FUZZ0001'), fc.string({ maxLength: 30 })),
        trigger_id: fc.string({ maxLength: 60 }),
      },
      { requiredKeys: [] },
    )
    .map((fields) => new URLSearchParams({ command: '/comms', ...fields }).toString());

// ---- phase 1: anything at all ----------------------------------------------------------------------

describe('phase 1: whatever arrives, never a 5xx; a rejection writes nothing', () => {
  it('POST /webhooks/pagerduty', async () => {
    await fc.assert(
      fc.asyncProperty(
        pdBody,
        pdSigning,
        fc.option(headerText, { nil: null }),
        async (body, signing, webhookId) => {
          const out = await check(() =>
            postPagerDuty(h, body, { signature: pdSignature(signing, body), webhookId }),
          );
          if (out.status === 400) expect(typeof out.json().error).toBe('string');
          if (signing !== 'valid' && signing !== 'valid-among-garbage')
            expect([401, 413]).toContain(out.status);
        },
      ),
      { numRuns: RUNS },
    );
    // Triggers are in phase 1 only when they are refused; accepted ones start workflows (phase 2).
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('wrong-secret', 'garbage', 'absent'), anyId, async (signing, id) => {
        const body = JSON.stringify(pagerDutyEvent('incident.triggered', id || 'QX'));
        const out = await check(() => postPagerDuty(h, body, { signature: pdSignature(signing, body) }));
        expect(out.status).toBe(401);
      }),
      { numRuns: 30 },
    );
  });

  it('POST /slack/interactions', async () => {
    await fc.assert(
      fc.asyncProperty(interactionBody(), slackSigning, async (body, signing) => {
        const out = await check(() => postSlack(h, '/slack/interactions', body, slackHeaders(signing, body)));
        if (signing !== 'valid') expect(out.status).toBe(401);
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /slack/commands (people outside the roster may only read)', async () => {
    const outsider = fc.constantFrom('U0OUTSIDER1', '', 'not-a-user');
    const insiderReads = fc
      .tuple(fc.constantFrom('status', 'help', 'update', 'resolve', '', 'bogus'), anyText)
      .map(([s, r]) => `${s} ${r}`);
    const bodies = fc.oneof(
      commandBody(outsider, commandText),
      commandBody(fc.constantFrom(...h.runtime.roster.people.map((p) => p.slackUserId)), insiderReads),
      anyText,
    );
    await fc.assert(
      fc.asyncProperty(bodies, slackSigning, async (body, signing) => {
        const out = await check(() => postSlack(h, '/slack/commands', body, slackHeaders(signing, body)));
        if (signing !== 'valid') expect(out.status).toBe(401);
        else {
          expect(out.status).toBe(200);
          const reply = out.json();
          expect(reply.response_type).toBe('ephemeral');
          expect(typeof reply.text).toBe('string');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- phase 2: signed and well-formed, acted on ------------------------------------------------------

describe('phase 2: signed requests that are acted on, with random contents, never fail', () => {
  it('PagerDuty events of every type, for a few incidents, in any order', async () => {
    const ids = ['QFUZZ00001', 'QFUZZ00002', 'QFUZZ00003'];
    const types = [
      'incident.triggered',
      'incident.acknowledged',
      'incident.annotated',
      'incident.priority_updated',
      'incident.reopened',
      'incident.resolved',
      'incident.status_update_published',
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...types), fc.constantFrom(...ids), pdData, async (type, id, data) => {
        const { id: _ignored, incident: _also, type: _t, ...rest } = data as Record<string, unknown>;
        const envelope = pagerDutyEvent(type, id, rest);
        const out = await postPagerDuty(h, envelope);
        expect(out.status, out.text).toBeLessThan(500);
        expect([202, 400, 429]).toContain(out.status);
      }),
      { numRuns: 60 },
    );
  });

  it('/comms from people in the roster, with random arguments', async () => {
    const insider = fc.constantFrom(...h.runtime.roster.people.map((p) => p.slackUserId));
    await fc.assert(
      fc.asyncProperty(commandBody(insider, commandText), async (body) => {
        const out = await postSlack(h, '/slack/commands', body);
        expect(out.status, out.text).toBe(200);
        const reply = String(out.json().text);
        if (!/^(postmortem|broadcast)/.test(new URLSearchParams(body).get('text') ?? '')) {
          expect(reply).not.toMatch(/Something went wrong/);
        }
      }),
      { numRuns: 60 },
    );
  });
});
