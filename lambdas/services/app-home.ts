import type { HomeView } from '@slack/types';
import { accountById, personById, personName, type Person, type Roster } from '../domain/roster.ts';
import { isOpenIncident, type IncidentRecord } from '../domain/records/incident.ts';
import { coverWhyOf, stillOpen, type ActionRecord } from '../domain/records/action.ts';
import type { RoundRecord } from '../domain/records/round.ts';
import type { LogEntry } from '../domain/records/notification.ts';
import { actionIdFor, asksOf, getAction, recoveriesOf, reviewActionKey } from '../adapters/actions.ts';
import { openedHome, publishHome } from '../adapters/app-home.ts';
import { getIncident, listIncidents } from '../adapters/incidents.ts';
import { logger } from '../adapters/logger.ts';
import { logOf } from '../adapters/notification-log.ts';
import { getOwnerDrafts, listRounds } from '../adapters/rounds.ts';
import { currentRoster } from '../adapters/roster.ts';
import { slack } from '../adapters/slack.ts';
import { accountStates } from '../messages/account-lines.ts';
import { homeView, type HomeIncident, type HomeOwnerAsk } from '../messages/app-home.ts';

/**
 * App Home, kept current (docs/architecture.md, "App Home"): published when a person opens it, and again
 * for the people an incident concerns whenever its asks change — asked, answered, handed on, sent, the
 * round over. Only people who have opened Home once are republished (adapters/app-home.ts); a publish is
 * best-effort and never fails the send, press or step that called it.
 */

/** What one open incident holds now, read once and shown to each person it concerns. */
interface IncidentNow {
  incident: IncidentRecord;
  round?: RoundRecord;
  /** Asks nobody has answered or ended yet, of every owner of the latest round. */
  asks: ActionRecord[];
  review?: ActionRecord;
  failures: ActionRecord[];
  log: LogEntry[];
}

const waitingNow = (a: ActionRecord | undefined, nowSeconds: number): a is ActionRecord =>
  a !== undefined && stillOpen(a) && a.expiresAt > nowSeconds;

async function incidentNow(incident: IncidentRecord, nowSeconds: number): Promise<IncidentNow> {
  const rounds = await listRounds(incident.incidentId);
  const round = rounds.reduce<RoundRecord | undefined>(
    (a, r) => (!a || r.round > a.round ? r : a),
    undefined,
  );
  if (!round) return { incident, asks: [], failures: [], log: [] };
  const [asks, review, failures, log] = await Promise.all([
    Promise.all(round.owners.map((o) => asksOf(incident.incidentId, round.round, o))),
    getAction(actionIdFor(reviewActionKey(incident.incidentId, round.round))),
    recoveriesOf(incident.incidentId),
    logOf(incident.incidentId, round.round),
  ]);
  return {
    incident,
    round,
    asks: asks.flat().filter((a) => waitingNow(a, nowSeconds)),
    ...(waitingNow(review, nowSeconds) ? { review } : {}),
    failures: failures.filter((a) => waitingNow(a, nowSeconds)),
    log,
  };
}

async function ownerAsk(roster: Roster, facts: IncidentNow, action: ActionRecord): Promise<HomeOwnerAsk> {
  const { incident, round } = facts;
  const drafts = await getOwnerDrafts(action.incidentId, action.round, action.ownerId);
  const owner = personById(roster, action.ownerId);
  const asked = personById(roster, action.allowedPersonIds[0] ?? action.ownerId);
  const covering = asked.id !== owner.id;
  return {
    incident,
    phase: round?.phase ?? 'update',
    owner: asked,
    accounts: drafts.map((d) => accountById(roster, d.accountId)),
    drafts,
    ...(covering ? { cover: { owner, why: coverWhyOf(action) } } : {}),
    actionId: action.actionId,
    answerBy: new Date(action.answerBy ?? action.expiresAt * 1000),
    // Asks made before `then` was recorded: an owner's goes to a backup next, a backup's to the CMOC.
    then: action.then ?? (covering ? 'cmoc' : 'backup'),
  };
}

/** The incident as this person sees it, or undefined when it does not concern them. */
async function seenBy(roster: Roster, person: Person, facts: IncidentNow): Promise<HomeIncident | undefined> {
  const { incident, round } = facts;
  const isCmoc = incident.cmocId === person.id;
  const mineAsks = facts.asks.filter((a) => a.allowedPersonIds.includes(person.id));
  const answersFor = new Set([person.id, ...mineAsks.map((a) => a.ownerId)]);
  const accountIds = (round?.accountIds ?? []).filter(
    (id) => isCmoc || answersFor.has(accountById(roster, id).ownerId),
  );
  if (!isCmoc && accountIds.length === 0 && mineAsks.length === 0) return undefined;
  return {
    incident,
    role: isCmoc ? 'cmoc' : 'owner',
    asks: await Promise.all(mineAsks.map((a) => ownerAsk(roster, facts, a))),
    reviews:
      isCmoc && facts.review && round
        ? [
            {
              actionId: facts.review.actionId,
              round: round.round,
              accounts: round.accountIds.length,
              owners: round.owners.length,
            },
          ]
        : [],
    failures: isCmoc
      ? facts.failures
          .flatMap((a) => (a.failure ? [{ ...a, failure: a.failure }] : []))
          .map((a) => ({
            incident,
            failure: a.failure,
            actionId: a.actionId,
            ...(a.round ? { round: a.round } : {}),
            ...(a.ownerId && a.ownerId !== incident.cmocId
              ? { ownerName: personName(roster, a.ownerId) }
              : {}),
          }))
      : [],
    accounts: accountStates(roster, accountIds, facts.log),
  };
}

async function openIncidentsNow(now: Date): Promise<IncidentNow[]> {
  const open = (await listIncidents()).filter(isOpenIncident);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return Promise.all(open.map((i) => incidentNow(i, nowSeconds)));
}

async function viewFor(roster: Roster, person: Person, facts: IncidentNow[], at: Date): Promise<HomeView> {
  const incidents = (await Promise.all(facts.map((f) => seenBy(roster, person, f)))).filter(
    (i): i is HomeIncident => i !== undefined,
  );
  return homeView({ person, incidents, at });
}

/** Publishes the Home of the person who just opened it. Throws: the caller's retry publishes again. */
export async function publishHomeOf(slackUserId: string, at: Date): Promise<'published' | 'not-in-roster'> {
  const roster = await currentRoster();
  const person = roster.people.find((p) => p.slackUserId === slackUserId);
  // Someone the roster does not know has nothing waiting; Slack shows its own empty Home.
  if (!person) return 'not-in-roster';
  const view = await viewFor(roster, person, await openIncidentsNow(at), at);
  await publishHome(await slack(), slackUserId, view);
  return 'published';
}

/**
 * Republishes the Home of everyone an incident's asks may concern (its CMOC, the latest round's owners and
 * the regional backups who may be asked to cover them) who has opened Home. Cheap when nobody has: the
 * incident, its rounds and one batch read. Never throws: a Home that could not be published is only out
 * of date until the next change, or until the person opens it again.
 */
export async function refreshHomes(incidentId: string): Promise<void> {
  try {
    const at = new Date();
    const [roster, incident, rounds] = await Promise.all([
      currentRoster(),
      getIncident(incidentId),
      listRounds(incidentId),
    ]);
    const concerned = new Set([
      incident.cmocId,
      ...rounds.flatMap((r) => r.owners),
      ...Object.values(roster.regions).flatMap((r) => r.backups),
    ]);
    const people = roster.people.filter((p) => concerned.has(p.id));
    const opened = new Set(
      await openedHome(
        people.map((p) => p.slackUserId),
        at,
      ),
    );
    if (opened.size === 0) return;
    const facts = await openIncidentsNow(at);
    const web = await slack();
    for (const person of people.filter((p) => opened.has(p.slackUserId))) {
      try {
        await publishHome(web, person.slackUserId, await viewFor(roster, person, facts, at));
      } catch (error) {
        logger.warn('could not publish App Home', { error, personId: person.id });
      }
    }
  } catch (error) {
    logger.warn('could not refresh App Home', { error, incidentId });
  }
}
