import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';

/**
 * What a warm Lambda instance has done besides loading its code: read the roster lately (the handlers' own
 * 60-second cache) and made calls with its clients, so their secrets are read, their connections open and
 * their code paths compiled. The local runtime's warm-up (`warmLambdas`) does the same once at start, on
 * the main thread and in each worker thread, with reads that change nothing; without it the first event
 * after start pays all of that on its critical path (the first broadcast after start most of all: ten
 * batches' first posts, docs/architecture.md "Budgets").
 *
 * A worker thread's caches start empty: without its own roster read, its first batches, run side by side,
 * would each read and validate every account at once.
 *
 * Failures are ignored: a missing roster or an unreachable service is the handlers' to report when they
 * run, not the warm-up's. Slack is called only when it is the runtime's stand-in: a real workspace is not
 * someone the runtime's start should talk to.
 */
export async function warmClients(options: { slackStandIn: boolean }): Promise<void> {
  // Imported here, not at the top: the adapters build their clients from the environment as they load,
  // and the runtime imports this file before it has set every endpoint.
  const [{ currentRoster }, { sfn }, slackClients] = await Promise.all([
    import('../lambdas/adapters/roster.ts'),
    import('../lambdas/adapters/stepfunctions.ts'),
    import('../lambdas/adapters/slack.ts'),
  ]);
  const ignore = (): void => {};
  const slackCalls = options.slackStandIn
    ? [slackClients.slack(), slackClients.slackForDelivery()].map((client) =>
        client.then((web) => web.auth.test()),
      )
    : [];
  await Promise.all(
    [currentRoster(), sfn.send(new ListStateMachinesCommand({ maxResults: 1 })), ...slackCalls].map((call) =>
      call.then(ignore, ignore),
    ),
  );
}
