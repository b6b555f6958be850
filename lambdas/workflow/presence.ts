import type { WebClient } from '@slack/web-api';
import { logger } from '../adapters/logger.ts';
import type { Presence, PresenceOf } from './availability.ts';

/**
 * Slack presence (users.getPresence, scope users:read) as the availability rules read it. A failed lookup
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
