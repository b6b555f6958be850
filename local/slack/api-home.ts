import type { ApiContext, Args, Result } from './api-chat.ts';
import { userOf } from './api-chat.ts';
import { checkView } from './limits.ts';

/**
 * views.publish: a person's App Home, replaced whole. Slack takes it only as a `home` view within Block
 * Kit's limits (local/slack/limits.ts, 100 blocks), and only for a user of the workspace.
 */
function viewsPublish(ctx: ApiContext, args: Args): Result {
  const { ws } = ctx;
  const userId = userOf(ws, args.user_id);
  const stored = ws.publishHome(userId, { ...checkView(args.view, 'home') });
  const { teamId, appId, botId } = ws.identity;
  return {
    view: { ...stored.view, id: stored.id, team_id: teamId, app_id: appId, bot_id: botId, hash: stored.hash },
  };
}

export const HOME_METHODS: Record<string, (ctx: ApiContext, args: Args) => Result> = {
  'views.publish': viewsPublish,
};
