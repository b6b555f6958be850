import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { declarationKey, WINDOW_SECONDS } from '../../../lambdas/adapters/declare-dedup.ts';
import type { Person } from '../../../lambdas/domain/roster.ts';
import { comms, incidentExecutions } from '../../support/frontdoors.ts';
import { startWorld, type World } from '../../support/world.ts';

/** `/comms declare` sent twice by the same person (double Enter, a retry) declares one incident. */
let h: World;
let alice: Person;
let bob: Person;

beforeAll(async () => {
  h = await startWorld({ timeScale: 1 });
  alice = h.runtime.roster.people[1]!;
  bob = h.runtime.roster.people[2]!;
});
afterAll(async () => {
  await h?.close();
});

const idOf = (reply: string) => /Declared \*(S\d{8}-\d{2,})\*/.exec(reply)?.[1];

/** Incident items whose title is `title` (any case), read straight from the table. */
async function incidentsTitled(title: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await h.db.send(
      new ScanCommand({
        TableName: process.env.TABLE_NAME,
        FilterExpression: 'begins_with(pk, :p) AND sk = :m',
        ExpressionAttributeValues: { ':p': 'INCIDENT#', ':m': 'META' },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of out.Items ?? []) {
      if (String(item.title).toLowerCase() === title.toLowerCase()) ids.push(String(item.incidentId));
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return ids.sort();
}

async function executionsOf(ids: string[]): Promise<number> {
  const names = new Set(ids.map((id) => `incident-${id}`));
  return (await incidentExecutions(h)).filter((e) => names.has(e.name ?? '')).length;
}

describe('the same declaration twice', () => {
  it('→ one incident and one execution; the repeat names the first, with the same next steps', async () => {
    const channel = 'C0DEDUP0001';
    const first = await comms(h, alice.slackUserId, 'declare SEV2 "Login failures in EU" query', channel);
    const incidentId = idOf(first.reply);
    expect(incidentId, first.reply).toBeDefined();

    const again = await comms(
      h,
      alice.slackUserId,
      'declare sev2 "  login   FAILURES in eu " query',
      channel,
    );
    expect(again.status).toBe(200);
    expect(again.reply).toMatch(
      new RegExp(
        `^Already declared as \`${incidentId}\` at \\d\\d:\\d\\d UTC by ${alice.name}: SEV2 · Login failures in EU`,
      ),
    );
    // The lines after the first are the hints the first reply gave.
    expect(again.reply.split('\n').slice(1)).toEqual(first.reply.split('\n').slice(1));

    const ids = await incidentsTitled('Login failures in EU');
    expect(ids).toEqual([incidentId]);
    expect(await executionsOf(ids)).toBe(1);
  });

  it('from another channel → still the first incident, referred to by its id', async () => {
    const first = await comms(h, alice.slackUserId, 'declare SEV3 "Exports stuck" billing', 'C0DEDUP0002');
    const incidentId = idOf(first.reply)!;
    const again = await comms(h, alice.slackUserId, 'declare SEV3 "Exports stuck" billing', 'C0DEDUP0003');
    expect(again.reply).toContain(`Already declared as \`${incidentId}\``);
    expect(again.reply).toContain(`Refer to it as \`${incidentId}\`.`);
    expect(await incidentsTitled('Exports stuck')).toEqual([incidentId]);
  });

  it('sent at the same moment → exactly one incident and one execution', async () => {
    const text = 'declare SEV1 "Everything is on fire" query billing';
    const replies = (
      await Promise.all([0, 1, 2].map(() => comms(h, alice.slackUserId, text, 'C0DEDUP0004')))
    ).map((r) => r.reply);
    const declared = replies.filter((r) => idOf(r) !== undefined);
    expect(declared, replies.join('\n---\n')).toHaveLength(1);
    const incidentId = idOf(declared[0]!)!;
    for (const other of replies.filter((r) => r !== declared[0])) {
      // Either the first had named its incident by then, or it was still being recorded.
      expect(other).toMatch(new RegExp(`Already declared as \`${incidentId}\`|being recorded right now`));
    }
    const ids = await incidentsTitled('Everything is on fire');
    expect(ids).toEqual([incidentId]);
    expect(await executionsOf(ids)).toBe(1);
  });
});

describe('what is a new declaration', () => {
  it('a changed title, a changed severity, other services, or another person → a new incident', async () => {
    const base = await comms(h, alice.slackUserId, 'declare SEV2 "Slow dashboards" query');
    const retitled = await comms(h, alice.slackUserId, 'declare SEV2 "Slow dashboards in US" query');
    const resevered = await comms(h, alice.slackUserId, 'declare SEV1 "Slow dashboards" query');
    const widened = await comms(h, alice.slackUserId, 'declare SEV2 "Slow dashboards" query billing');
    const otherPerson = await comms(h, bob.slackUserId, 'declare SEV2 "Slow dashboards" query');
    const ids = [base, retitled, resevered, widened, otherPerson].map((r) => idOf(r.reply));
    expect(
      ids.every((id) => id !== undefined),
      ids.join(', '),
    ).toBe(true);
    expect(new Set(ids).size).toBe(5);
    expect(await incidentsTitled('Slow dashboards')).toHaveLength(4);
    expect(await executionsOf(ids as string[])).toBe(5);
  });

  it('after the window → a new incident', async () => {
    const text = 'declare SEV3 "Webhook retries piling up" query';
    const first = idOf((await comms(h, alice.slackUserId, text)).reply)!;
    // Age the first declaration's dedup item past the window, as if it had been typed 11 minutes ago.
    const key = declarationKey({
      personId: alice.id,
      severity: 'SEV3',
      title: 'Webhook retries piling up',
      services: ['query'],
    });
    const past = Date.now() - (WINDOW_SECONDS + 60) * 1000;
    const aged = await h.db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: key,
        UpdateExpression: 'SET claimedAt = :at, expiresAt = :exp',
        ConditionExpression: 'incidentId = :id',
        ExpressionAttributeValues: {
          ':at': past,
          ':exp': Math.floor(past / 1000) + WINDOW_SECONDS,
          ':id': first,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(aged.Attributes?.incidentId).toBe(first);

    const later = await comms(h, alice.slackUserId, text);
    const second = idOf(later.reply);
    expect(second, later.reply).toBeDefined();
    expect(second).not.toBe(first);
    expect(await incidentsTitled('Webhook retries piling up')).toEqual([first, second].sort());
    // The new declaration opens a new window: a repeat now names the second incident.
    expect((await comms(h, alice.slackUserId, text)).reply).toContain(`Already declared as \`${second}\``);
  });
});
