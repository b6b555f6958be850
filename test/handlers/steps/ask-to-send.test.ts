import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskOwnerInput } from '../../../lambdas/contract/payloads.ts';
import type { ActionRecord } from '../../../lambdas/domain/records/action.ts';
import { presenceWanted } from '../../../lambdas/domain/index.ts';
import { personById, type Person } from '../../../lambdas/domain/roster.ts';
import type { StoredMessage } from '../../../local/slack/types.ts';
import { seedRound } from '../../support/seed.ts';
import { buttonValue, hasButton } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * The ask step's choice of backup against the stand-ins: the DM goes to the first backup on shift while
 * their Slack presence is looked up beside it, and moves to the next one on shift when the first shows as
 * away, before anyone has pressed; a retried step keeps the backup the ask moved to.
 */
let world: World;
let askToSend: (input: AskOwnerInput) => Promise<{ actionId?: string; skipped?: string }>;
let getAction: (actionId: string) => Promise<ActionRecord | undefined>;

/** A Wednesday, 15:00 UTC: the Americas and EMEA at work, Sydney (Kenji, an account owner) at 02:00. */
const AT = '2026-11-18T15:00:00.000Z';

beforeAll(async () => {
  world = await startWorld();
  askToSend = (await import('../../../lambdas/handlers/steps/ask-to-send/handler.ts')).handler;
  ({ getAction } = await import('../../../lambdas/adapters/actions.ts'));
});
afterAll(() => world?.close());

/** A drafted round on the incident's own clock; the backups presence can choose between, in order. */
async function seed(incidentId: string): Promise<[Person, Person]> {
  await seedRound(world.roster, { incidentId, severity: 'SEV2', services: ['ingestion'], round: 1 });
  const { updateIncident } = await import('../../../lambdas/adapters/incidents.ts');
  await updateIncident(incidentId, { clock: { at: AT, origin: new Date().toISOString(), rate: 1 } });
  const [first, second] = presenceWanted({
    roster: world.roster,
    owner: personById(world.roster, 'kenji'),
    at: new Date(AT),
    cmoc: personById(world.roster, 'ines'),
  });
  if (!first || !second) throw new Error('expected two backups on shift');
  return [first, second];
}

const backupAsk = (incidentId: string, taskToken: string): AskOwnerInput => ({
  taskToken,
  incidentId,
  round: 1,
  ownerId: 'kenji',
  role: 'backup',
});

const dmsTo = (person: Person): StoredMessage[] => world.slack.messages({ user: person.slackUserId });
const carrying = (actionId: string) => (m: StoredMessage) => buttonValue(m, 'owner:send') === actionId;
const movedAway = (m: StoredMessage) => JSON.stringify(m.blocks ?? []).includes('has been asked instead');

describe('the backup for an owner not working now', () => {
  it('is the first on shift when they are not away: one DM, nothing moved', async () => {
    const [first, second] = await seed('QAWAYNONE');
    world.slack.setPresence(first.slackUserId, 'active');
    const { actionId } = await askToSend(backupAsk('QAWAYNONE', 'token-none-1'));
    expect((await getAction(actionId!))?.allowedPersonIds).toEqual([first.id]);
    expect(dmsTo(first).filter(carrying(actionId!))).toHaveLength(1);
    expect(dmsTo(second).filter(carrying(actionId!))).toEqual([]);
  });

  it('moves to the next on shift when the first shows as away, and stays there on a retry', async () => {
    const [first, second] = await seed('QAWAYFIRST');
    world.slack.setPresence(first.slackUserId, 'away');
    world.slack.setPresence(second.slackUserId, 'active');
    const { actionId } = await askToSend(backupAsk('QAWAYFIRST', 'token-away-1'));
    const action = await getAction(actionId!);
    expect(action?.allowedPersonIds).toEqual([second.id]);

    // The first backup's DM keeps the draft, loses its buttons and says who has it.
    const [left, ...moreLeft] = dmsTo(first).filter(movedAway);
    expect(moreLeft).toEqual([]);
    expect(left && hasButton(left, 'owner:send')).toBe(false);
    expect(JSON.stringify(left?.blocks)).toContain(second.name);
    // The second's has the buttons, and is the DM the ask names.
    const [asked, ...moreAsked] = dmsTo(second).filter(carrying(actionId!));
    expect(moreAsked).toEqual([]);
    expect(action?.dm).toEqual({ channel: asked?.channel, ts: asked?.ts });

    // A retried step (a new token) finds the ask where it moved to and updates that DM, posting nothing.
    const posts = world.slack.messages().length;
    await askToSend(backupAsk('QAWAYFIRST', 'token-away-2'));
    const again = await getAction(actionId!);
    expect(again?.allowedPersonIds).toEqual([second.id]);
    expect(again?.dm).toEqual(action?.dm);
    expect(again?.taskToken).toBe('token-away-2');
    expect(world.slack.messages()).toHaveLength(posts);
  });
});
