import { REGIONS, type Roster } from '../lambdas/domain/roster.ts';
import type { PageLink, PageOptions } from './slack/page/html.ts';

/**
 * What the Slack stand-in's page needs from the roster: who is in each customer's channel — the account's
 * owner and their region's backups (who send for them), and every CMOC, who sees every account — and the
 * other local pages it links to; and what each person is on the roster, so "Act as" finds the CMOC. A
 * channel the roster does not name is public.
 */
export function slackPageOptions(roster: Roster, links: () => readonly PageLink[]): PageOptions {
  const slackId = new Map(roster.people.map((p) => [p.id, p.slackUserId]));
  const regions = REGIONS.map((r) => roster.regions[r]);
  const cmocs = regions.flatMap((r) => r.cmoc);
  const members = new Map<string, string[]>();
  for (const account of roster.accounts) {
    if (!account.slackChannelId) continue;
    const owner = roster.people.find((p) => p.id === account.ownerId);
    const backups = owner ? roster.regions[owner.region].backups : [];
    const ids = [account.ownerId, ...backups, ...cmocs].flatMap((id) => slackId.get(id) ?? []);
    members.set(account.slackChannelId, [
      ...new Set([...(members.get(account.slackChannelId) ?? []), ...ids]),
    ]);
  }
  const roles = new Map(
    roster.people.map((p) => {
      const owned = roster.accounts.filter((a) => a.ownerId === p.id).length;
      const role = [
        ...REGIONS.filter((r) => roster.regions[r].cmoc.includes(p.id)).map((r) =>
          r === p.region ? 'CMOC' : `CMOC ${r}`,
        ),
        ...(regions.some((r) => r.backups.includes(p.id)) ? ['backup'] : []),
        ...(owned > 0 ? [`owns ${owned} account${owned === 1 ? '' : 's'}`] : []),
      ];
      return [p.slackUserId, [...role, p.region].join(' · ')];
    }),
  );
  return {
    links,
    channelMembers: (channelId) => members.get(channelId),
    describe: (userId) => roles.get(userId),
  };
}
