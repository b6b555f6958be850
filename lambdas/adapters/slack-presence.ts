import type { WebClient } from '@slack/web-api';
import type { Person, Presence } from '../domain/index.ts';
import { logger } from './logger.ts';

/** A presence lookup: Slack's users.getPresence in the Lambdas, a table in tests. */
export type PresenceOf = (person: Person) => Promise<Presence>;

/**
 * Slack presence (users.getPresence, scope users:read) as domain/who-is-asked.ts reads it. A failed lookup
 * is "unknown", never an error: presence refines who is asked, it must not stop a round.
 */
export function slackPresence(web: WebClient): PresenceOf {
  const seen = new Map<string, Promise<Presence>>();
  return (person) => {
    let presence = seen.get(person.slackUserId);
    if (!presence) {
      presence = web.users
        .getPresence({ user: person.slackUserId })
        .then((answer): Presence =>
          answer.presence === 'active' || answer.presence === 'away' ? answer.presence : 'unknown',
        )
        .catch((error: unknown) => {
          logger.warn('presence lookup failed', { personId: person.id, error });
          return 'unknown' as const;
        });
      seen.set(person.slackUserId, presence);
    }
    return presence;
  };
}

/**
 * Presence for whoIsAsked's `presence` (by person id), looked up in the order the candidates would be
 * asked and only until one is not away: whoIsAsked takes the first candidate not known to be away, so the
 * ones after it cannot change the choice. Usually one call per ask instead of one per backup on shift.
 */
export async function presenceUntilNotAway(
  people: readonly Person[],
  presenceOf: PresenceOf,
): Promise<Map<string, Presence>> {
  const found = new Map<string, Presence>();
  for (const person of people) {
    const presence = await presenceOf(person);
    found.set(person.id, presence);
    if (presence !== 'away') break;
  }
  return found;
}
