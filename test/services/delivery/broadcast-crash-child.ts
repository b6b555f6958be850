/**
 * Runs one broadcast batch step in its own process so a test can kill it at the worst moment: after Slack
 * accepted a post and before the run wrote its outcomes down. Input: the step's JSON payload as argv[2].
 * The environment (endpoints, table, lease length) comes from the test that spawns it.
 */
import type { BroadcastBatchInput } from '../../../lambdas/contract/payloads.ts';

const { handler } = await import('../../../lambdas/handlers/steps/send-broadcast-batch/handler.ts');
const result = await handler(JSON.parse(process.argv[2] ?? '{}') as BroadcastBatchInput);
process.stdout.write(JSON.stringify(result));
