import { describe, expect, it } from 'vitest';
import { parseRoster } from '../../lambdas/domain/index.ts';
import { slackPageOptions } from '../../local/slack-page.ts';
import { channelOf, scenarioRoster } from '../support/scenarios.ts';

/** What the Slack page learns from the roster: who is in each customer's channel, and who each person is. */
const roster = parseRoster(scenarioRoster());
const idOf = (personId: string) => roster.people.find((p) => p.id === personId)?.slackUserId ?? '';
const options = slackPageOptions(roster, () => []);

describe('the Slack page’s view of the roster', () => {
  it('puts the owner, their region’s backups and every CMOC in a customer’s channel, and nobody else', () => {
    const members = options.channelMembers?.(channelOf('sends-co')) ?? [];
    expect([...members].sort()).toEqual(['amy', 'andre', 'carla', 'eve', 'pia'].map(idOf).sort());
    expect(members).not.toContain(idOf('emil'));
    // A channel the roster does not name (an incident channel, say) is public.
    expect(options.channelMembers?.('C0SOMEWHERE')).toBeUndefined();
  });

  it('says what each person is on the roster', () => {
    expect(options.describe?.(idOf('carla'))).toBe('CMOC · americas');
    expect(options.describe?.(idOf('andre'))).toBe('backup · americas');
    expect(options.describe?.(idOf('aki'))).toBe('owns 2 accounts · apac');
  });
});
