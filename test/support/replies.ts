import type { DeliverUpdateInput } from '../../lambdas/contract/payloads.ts';
import type { StoredMessage } from '../../local/slack/index.ts';
import { waitFor } from '../../local/driver.ts';
import { readableText } from '../../local/slack/workspace.ts';
import { seedRound } from './seed.ts';
import { slackIdOf } from './slack.ts';
import { startWorld, type World } from './world.ts';

/**
 * A world where customers can answer: a customer's contact in the workspace and one open SEV2 on
 * feature-flags whose round 1 each owner sent, round 2 of tom's accounts sent by the backup sofia and
 * round 2 of lena's sent as the company by the CMOC ines.
 */
export const CUSTOMER = 'U0CUST001';
export const INCIDENT = 'QREPLY1';
export const CHANNELS = {
  bluebird: 'C0BLUEB01', // bluebird-health, ada's
  lumen: 'C0LUMEN01', // lumen-education, lena's
  elm: 'C0ELMST01', // elm-street-media, tom's
  fjord: 'C0FJORD01', // fjord-logistics, sofia's: in no incident
  engagement: 'C0SUPPORT1',
} as const;

export async function startRepliesWorld(): Promise<World> {
  const h = await startWorld({ asyncRetryDelaysMs: [50, 50] });
  h.slack.addUser({ id: CUSTOMER, name: 'pat', realName: 'Pat Customer', tz: 'America/New_York' });
  const { handler: deliver } = await import('../../lambdas/handlers/steps/deliver-update/handler.ts');
  const send = (round: number, ownerId: string, extra: Partial<DeliverUpdateInput> = {}) =>
    deliver({
      incidentId: INCIDENT,
      round,
      ownerId,
      senderId: ownerId,
      mode: 'send',
      asCompany: false,
      ...extra,
    });
  const seed = (round: number) =>
    seedRound(h.roster, { incidentId: INCIDENT, severity: 'SEV2', services: ['feature-flags'], round });
  await seed(1);
  for (const owner of ['ada', 'lena', 'tom']) await send(1, owner);
  await seed(2);
  await send(2, 'tom', { senderId: 'sofia' });
  await send(2, 'lena', { senderId: 'ines', asCompany: true });
  return h;
}

/** Our first post in a customer channel: the incident's thread. */
export const rootIn = (h: World, channel: string): StoredMessage =>
  h.slack.messages({ channel }).find((m) => !m.ephemeralTo && !m.threadTs && m.metadata !== undefined)!;
export const dmsTo = (h: World, personId: string, marker: string): StoredMessage[] =>
  h.slack.messages({ user: slackIdOf(h, personId) }).filter((m) => readableText(m).includes(marker));
export const postsIn = (h: World, channel: string, marker: string): StoredMessage[] =>
  h.slack.messages({ channel }).filter((m) => readableText(m).includes(marker));
export const dmCount = (h: World): number =>
  h.slack.messages().filter((m) => m.channel.startsWith('D')).length;

/** The follow-ups an event was handed to (one, however often Lambda ran it). */
export const followUpsOf = (h: World, eventId: string) =>
  h.lambda
    .asyncEvents()
    .filter((e) => (e.payload as { payload?: { eventId?: string } }).payload?.eventId === eventId);

export const settledFollowUp = (h: World, eventId: string): Promise<true> =>
  waitFor(`the follow-up of ${eventId}`, () =>
    followUpsOf(h, eventId).some((e) => e.state === 'succeeded' || e.state === 'dead-lettered')
      ? true
      : undefined,
  );
