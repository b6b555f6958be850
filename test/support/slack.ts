import { LogLevel, type Logger } from '@slack/web-api';
import type { Person } from '../../lambdas/domain/roster.ts';
import { hasButton, buttonsOf, waitFor, type Delivery } from '../../local/driver.ts';
import type { StoredMessage } from '../../local/slack/index.ts';
import type { World } from './world.ts';

export { buttonsOf, buttonValue, hasButton, pendingOwnerDms, type Button } from '../../local/driver.ts';

/**
 * People in the Slack stand-in, as the tests see them: the DMs they got, the notes they were shown, and
 * their presses. People are named by their roster id; a DM is "about" an incident when its text or blocks
 * mention a marker (its title, say).
 */
type About = string | { title: string };
const markerOf = (about: About) => (typeof about === 'string' ? about : about.title);

export const slackIdOf = (world: Pick<World, 'roster'>, personId: string): string => {
  const found = world.roster.people.find((p) => p.id === personId);
  if (!found) throw new Error(`no person ${personId}`);
  return found.slackUserId;
};

/** The roster person a DM went to. */
export function recipientOf(world: Pick<World, 'roster' | 'slack'>, dm: StoredMessage): Person {
  const userId = world.slack.dmUser(dm.channel);
  const found = world.roster.people.find((p) => p.slackUserId === userId);
  if (!found) throw new Error(`${dm.channel} is no roster person's DM`);
  return found;
}

const mentions = (m: StoredMessage, marker: string) =>
  (m.text ?? '').includes(marker) || JSON.stringify(m.blocks ?? []).includes(marker);

/** The DMs (not ephemeral notes) about an incident, oldest first: to one person, or to anyone. */
export function dmsAbout(
  world: Pick<World, 'roster' | 'slack'>,
  about: About,
  personId?: string,
): StoredMessage[] {
  const marker = markerOf(about);
  const messages = personId
    ? world.slack.messages({ user: slackIdOf(world, personId) })
    : world.slack.messages().filter((m) => m.channel.startsWith('D'));
  return messages.filter((m) => !m.ephemeralTo && mentions(m, marker));
}

/** Ephemeral notes a person was shown (why a press changed nothing), oldest first. */
export const notesTo = (world: Pick<World, 'roster' | 'slack'>, personId: string): StoredMessage[] =>
  world.slack.messages().filter((m) => m.ephemeralTo === slackIdOf(world, personId));

/** Waits for a note to a person matching `pattern`, among those after the first `after`. */
export function noteTo(
  world: Pick<World, 'roster' | 'slack'>,
  personId: string,
  pattern: RegExp,
  after = 0,
): Promise<StoredMessage> {
  return waitFor(`an ephemeral note to ${personId} matching ${pattern}`, () =>
    notesTo(world, personId)
      .slice(after)
      .find((m) => pattern.test(m.text ?? '')),
  );
}

/** Presses a button on a DM as the person it went to (or as `userId`, who may be someone else). */
export function pressOn(
  world: Pick<World, 'slack'>,
  dm: StoredMessage,
  actionId: string,
  userId = world.slack.dmUser(dm.channel),
): Promise<Delivery> {
  if (!userId) throw new Error(`${dm.channel} is not a DM: say who presses`);
  return world.slack.press({ channel: dm.channel, ts: dm.ts, actionId, userId });
}

/** Waits for a DM to a person about an incident that offers `actionId`, and presses it as them. */
export async function press(
  world: Pick<World, 'roster' | 'slack'>,
  personId: string,
  about: About,
  actionId: string,
): Promise<StoredMessage> {
  const dm = await waitFor(`a DM to ${personId} about "${markerOf(about)}" with a ${actionId} button`, () =>
    dmsAbout(world, about, personId).find((m) => hasButton(m, actionId)),
  );
  // The ask records where its DM is only after posting it; a press before that cannot update the DM.
  const value = buttonsOf(dm).find((b) => b.actionId === actionId)?.value;
  if (!value) throw new Error(`the ${actionId} button in ${personId}'s DM carries no value`);
  const { getAction } = await import('../../lambdas/adapters/actions.ts');
  await waitFor(`the action behind ${personId}'s ${actionId} button to know its DM`, async () =>
    (await getAction(value))?.dm ? true : undefined,
  );
  // Slack has its 200 before the press is acted on (docs/architecture.md, "Answer first, then finish"):
  // handled is when the DM changes, the presser is told why it did not, or a modal opens for them.
  const slackId = slackIdOf(world, personId);
  const edits = () => world.slack.messages({ channel: dm.channel }).find((m) => m.ts === dm.ts)?.edits ?? 0;
  const before = {
    edits: edits(),
    notes: notesTo(world, personId).length,
    views: world.slack.views().length,
  };
  const answer = await pressOn(world, dm, actionId, slackId);
  if (answer.status !== 200) throw new Error(`press ${actionId} answered ${answer.status}: ${answer.body}`);
  await waitFor(`${personId}'s ${actionId} press to be handled`, () =>
    edits() > before.edits ||
    notesTo(world, personId).length > before.notes ||
    world.slack.views().length > before.views
      ? true
      : undefined,
  );
  return dm;
}

/**
 * People who answer at once: every DM that passes `wanted` and offers `actionId` is pressed, once, by the
 * person it went to, until the returned function is called. Not stopped within `timeoutMs`, it fails the
 * run saying so: a presser left running would answer the next test's asks.
 */
export function autoPress(
  world: Pick<World, 'slack'>,
  actionId: string,
  wanted: (m: StoredMessage) => boolean,
  timeoutMs = 15 * 60_000,
): () => void {
  const pressed = new Set<string>();
  let stopped = false;
  void waitFor(
    `the ${actionId} presser to be stopped`,
    () => {
      if (stopped) return true;
      const fresh = world.slack
        .messages()
        .filter((m) => m.channel.startsWith('D') && !m.ephemeralTo && !pressed.has(`${m.channel}/${m.ts}`))
        .filter((m) => hasButton(m, actionId) && wanted(m));
      for (const m of fresh) {
        pressed.add(`${m.channel}/${m.ts}`);
        // Not awaited: people answer side by side, and a slow answer holds back nobody else's press.
        void pressOn(world, m, actionId).catch(() => undefined);
      }
      return undefined;
    },
    timeoutMs,
  );
  return () => {
    stopped = true;
  };
}

const startsComms = (m: StoredMessage) => buttonsOf(m).find((b) => /start customer comms/i.test(b.text));

/** The CMOC's DMs about `marker` asking to start customer comms (the impact confirmation). */
export const startCommsAsks = (world: Pick<World, 'roster' | 'slack'>, marker: string): StoredMessage[] =>
  dmsAbout(world, marker).filter((m) => startsComms(m));

/**
 * The owner DMs (with the owner buttons) about `marker`. If the workflow first asks the CMOC to start
 * customer comms, the CMOC presses "Start customer comms" — as a person would.
 */
export async function ownerDmsFor(
  world: Pick<World, 'roster' | 'slack'>,
  marker: string,
  atLeast = 1,
): Promise<StoredMessage[]> {
  const pressed = new Set<string>();
  return waitFor(`${atLeast}+ owner DMs about "${marker}"`, async () => {
    const about = dmsAbout(world, marker);
    const owners = about.filter((m) => hasButton(m, 'owner:send'));
    if (owners.length >= atLeast) return owners;
    for (const m of about) {
      const start = startsComms(m);
      if (start && !pressed.has(m.ts)) {
        pressed.add(m.ts);
        await pressOn(world, m, start.actionId);
      }
    }
    return undefined;
  });
}

/**
 * Presses "Send to my accounts" on every owner DM about `marker` — including DMs that arrive meanwhile (a
 * backup covering an owner on PTO) — until `done` says so.
 */
export async function sendAllUntil(
  world: Pick<World, 'roster' | 'slack'>,
  marker: string,
  what: string,
  done: () => Promise<boolean>,
): Promise<void> {
  const pressed = new Set<string>();
  await waitFor(what, async () => {
    if (await done()) return true;
    const waiting = dmsAbout(world, marker).filter(
      (m) => hasButton(m, 'owner:send') && !pressed.has(`${m.channel}/${m.ts}`),
    );
    for (const m of waiting) {
      pressed.add(`${m.channel}/${m.ts}`);
      await pressOn(world, m, 'owner:send');
    }
    return undefined;
  });
}

/** Waits for a CMOC's "start customer comms" DM about `marker` not in `seen`, presses it, and returns it. */
export async function startCommsOnNewAsk(
  world: Pick<World, 'roster' | 'slack'>,
  marker: string,
  seen: Set<string>,
): Promise<StoredMessage> {
  const ask = await waitFor(`a new "start customer comms" DM about "${marker}"`, () =>
    startCommsAsks(world, marker).find((m) => !seen.has(`${m.channel}/${m.ts}`)),
  );
  await pressOn(world, ask, startsComms(ask)!.actionId);
  return ask;
}

/** A Slack client logger that says nothing: for tests whose calls are refused on purpose. */
export const QUIET_SLACK_LOGGER: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
