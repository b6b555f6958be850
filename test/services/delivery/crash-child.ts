/**
 * Runs the delivery step in its own process so a test can kill it at the worst moment: after a provider
 * accepted a message and before the log recorded it. Input: the step's JSON payload as argv[2]. The
 * environment (endpoints, table) comes from the test that spawns it.
 */
import type { DeliverUpdateInput } from '../../../lambdas/contract/payloads.ts';

const { handler } = await import('../../../lambdas/handlers/steps/deliver-update/handler.ts');
const result = await handler(JSON.parse(process.argv[2] ?? '{}') as DeliverUpdateInput);
process.stdout.write(JSON.stringify(result));
