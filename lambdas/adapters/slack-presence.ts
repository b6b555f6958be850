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

/** Looks up everyone's presence at once, for whoIsAsked's `presence` (by person id). */
export async function presenceOfAll(
  people: Person[],
  presenceOf: PresenceOf,
): Promise<Map<string, Presence>> {
  const answers = await Promise.all(people.map(async (p) => [p.id, await presenceOf(p)] as const));
  return new Map(answers);
}
