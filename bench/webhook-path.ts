import { readFile } from 'node:fs/promises';
import type { StoredMessage } from '../local/slack/types.ts';
import { hasButton, waitFor } from '../local/driver.ts';
import { stateMachineArn, type StateVisit } from '../local/stepfunctions/index.ts';
import type { Runtime } from '../local/runtime.ts';
import type { World } from '../test/support/world.ts';
import { pressOn } from '../test/support/slack.ts';
import { longestChain, totalCalls, type PathStep, type Recording, type Service } from './critical-path.ts';

/**
 * Webhook → every owner's DM, as counts (bench/critical-path.ts) and as an AWS estimate built from them.
 *
 * Per-step latencies for the estimate. Only DynamoDB's is published; the rest are stated assumptions,
 * chosen on the high side, so the estimate is an upper bound a reader can redo with their own figures:
 * - DynamoDB GetItem/PutItem: "single-digit millisecond" average latency (AWS Knowledge Center, "Why is my
 *   DynamoDB latency high": https://repost.aws/knowledge-center/dynamodb-high-latency) → 10 ms.
 * - Step Functions Standard state transition: AWS publishes no latency → 50 ms each (assumption).
 * - Lambda invoke overhead on a warm function (Step Functions or API Gateway → handler start): AWS
 *   publishes no figure → 25 ms per invocation (assumption); cold starts are the bundle rows' business.
 * - API Gateway HTTP API integration overhead: none published → 25 ms per front-door request (assumption).
 * - Step Functions API calls from a handler (StartExecution, SendTaskSuccess): 30 ms (assumption).
 * - Slack Web API call: Slack publishes rate limits, not latency → 300 ms each (assumption, generous).
 */
export const AWS_LATENCY_MS = {
  dynamodb: 10,
  transition: 50,
  lambdaInvoke: 25,
  apiGateway: 25,
  stepfunctions: 30,
  slack: 300,
} as const;

/**
 * The critical path's counts as they stand; a change that lengthens the path shows as OVER. DynamoDB's
 * may move by one between runs: reads made side by side count once only when they overlap.
 *
 * wallRatio: the local wall time ÷ its floor (bench/path-floor.ts). On the 2-core machine kind, quiet runs
 * read 20.6 to 23.3 × (2.4–2.7 s on a 0.11–0.12 s floor, the workflow and growth 500 / 50 runs alike); with
 * a CPU-bound process beside the bench 17.5 to 24.4 × (3.3–3.5 s on 0.14–0.19 s), and 13.5 × once when
 * other work shared the machine too (the spinner had half a core; the floor rose more than the wall): the
 * floor moves with the machine as the path does. 30 × leaves a fifth above the highest reading; a path half
 * again as slow as today's quiet runs goes over, one twice as slow (≈ 44 ×) far over. More round trips
 * raise the floor too, so they show in the count rows above rather than here.
 */
export const PATH_BUDGET = {
  invocations: 10,
  transitions: 12,
  dynamodb: 32,
  slack: 2,
  wallRatio: 30,
} as const;

const FRONT_DOORS = new Set(['pagerduty-webhook', 'slack-interactions', 'slack-commands']);

export interface WebhookPath {
  invocations: number;
  transitions: number;
  dynamodb: number;
  slack: number;
  stepfunctions: number;
  steps: string[];
  operations: string[];
  awsEstimateSeconds: number;
  /** The round trips of the step that posted the last DM: every owner's ask makes them side by side. */
  asking: Record<'dynamodb' | 'slack' | 'stepfunctions', number>;
  /** When the Slack stand-in stored the last owner's DM (performance time). */
  lastDmAt: number;
}

/**
 * Requests that came through API Gateway: a front door's own invocation. The follow-up it hands the work to
 * (the same function again, invoked asynchronously) comes straight from Lambda.
 */
export const frontDoorRequests = (path: readonly PathStep[]): number =>
  path.filter((s, i) => FRONT_DOORS.has(s.functionName) && path[i - 1]?.functionName !== s.functionName)
    .length;

export function awsEstimateSeconds(path: readonly PathStep[], transitions: number): number {
  const ms =
    path.length * AWS_LATENCY_MS.lambdaInvoke +
    frontDoorRequests(path) * AWS_LATENCY_MS.apiGateway +
    transitions * AWS_LATENCY_MS.transition +
    totalCalls(path, 'dynamodb') * AWS_LATENCY_MS.dynamodb +
    totalCalls(path, 'stepfunctions') * AWS_LATENCY_MS.stepfunctions +
    totalCalls(path, 'slack') * AWS_LATENCY_MS.slack;
  return ms / 1000;
}

const toPerformanceTime = (at: Date) => at.getTime() - performance.timeOrigin;

/**
 * State transitions between the webhook and the last DM, over the incident's executions: every state
 * entered up to the DM outside the Maps' iterations, and inside them the one iteration's way to the state
 * that posted it. Iterations run side by side, so another owner's states (an owner skipped, a backup asked)
 * are not on this path; the way is the fewest states from the iteration's start to the posting state in the
 * definition (statesTo), and each enclosing Map iteration's own Map state once.
 */
function transitionsOnPath(
  visits: readonly StateVisit[],
  until: Date,
  /** When the invocation that posted the last DM started (performance time). */
  postedFrom: number,
  definitions: readonly AslStates[],
): number {
  const upTo = visits.filter((v) => v.enteredAt <= until);
  const outside = upTo.filter((v) => v.mapIndex === undefined);
  const inside = upTo.filter((v) => v.mapIndex !== undefined);
  // The task whose invocation posted it: the runtime invokes a task's handler as it enters the state.
  const posting = inside
    .filter((v) => v.type === 'Task' && toPerformanceTime(v.enteredAt) <= postedFrom)
    .at(-1);
  const way = posting ? definitions.map((d) => statesTo(d, posting.name)).find((n) => n !== undefined) : 0;
  if (way === undefined) throw new Error(`bench: no state machine has a state named "${posting?.name}"`);
  const nestedMaps = new Set(inside.filter((v) => v.type === 'Map').map((v) => v.name)).size;
  return outside.length + nestedMaps + way + outside.reduce((n, v) => n + v.retries, 0);
}

/** What statesTo reads of an ASL definition: its states and where each goes next. */
export interface AslStates {
  StartAt: string;
  States: Record<string, AslState>;
}
interface AslState {
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: { Next: string }[];
  ItemProcessor?: AslStates;
  Iterator?: AslStates;
  Branches?: AslStates[];
}

/**
 * The fewest states entered from the start of the (nested) processor holding `target` up to and including
 * it, or undefined when no processor of `definition` holds it.
 */
export function statesTo(definition: AslStates, target: string): number | undefined {
  if (target in definition.States) {
    const seen = new Map<string, number>([[definition.StartAt, 1]]);
    const queue = [definition.StartAt];
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const depth = seen.get(name) ?? 0;
      if (name === target) return depth;
      const state = definition.States[name];
      const next = [state?.Next, state?.Default, ...(state?.Choices ?? []).map((c) => c.Next)];
      for (const to of [...next, ...(state?.Catch ?? []).map((c) => c.Next)])
        if (to !== undefined && !seen.has(to)) {
          seen.set(to, depth + 1);
          queue.push(to);
        }
    }
    return undefined;
  }
  for (const state of Object.values(definition.States))
    for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      const found = inner && statesTo(inner, target);
      if (found !== undefined) return found;
    }
  return undefined;
}

const definitionOf = async (name: string): Promise<AslStates> =>
  JSON.parse(
    await readFile(new URL(`../statemachines/${name}.asl.json`, import.meta.url), 'utf8'),
  ) as AslStates;

export async function criticalPath(
  world: World,
  recording: Recording,
  startedAt: number,
  isAsk: (m: StoredMessage) => boolean,
  parentArn: string,
  incidentId: string,
): Promise<WebhookPath> {
  const asks = world.slack
    .messages()
    .filter((m) => m.channel.startsWith('D') && isAsk(m) && hasButton(m, 'owner:send'));
  const lastDm = asks.reduce((a, b) => (b.postedAt > a.postedAt ? b : a));
  const dmAt = toPerformanceTime(lastDm.postedAt);
  // The post that made the last DM: the last chat.postMessage that had started by then.
  const post = recording.calls
    .filter((c) => c.service === 'slack' && c.operation.endsWith('chat.postMessage') && c.at <= dmAt + 1)
    .at(-1);
  const last = recording.invocations.find((i) => i.id === post?.invocationId);
  if (!last) throw new Error('bench: no invocation posted the last owner DM');
  const path = longestChain(recording.invocations, recording.calls, startedAt, last, post?.at);
  const engine = world.runtime.stepFunctions.engine;
  const visits: StateVisit[] = [
    ...engine.visitedStates(parentArn),
    ...(await roundsOf(world.runtime, incidentId)).flat(),
  ];
  const definitions = await Promise.all(['incident', 'update-round'].map(definitionOf));
  const transitions = transitionsOnPath(visits, lastDm.postedAt, last.startedAt, definitions);
  return {
    invocations: path.length,
    transitions,
    dynamodb: totalCalls(path, 'dynamodb'),
    slack: totalCalls(path, 'slack'),
    stepfunctions: totalCalls(path, 'stepfunctions'),
    steps: path.map((s) => s.functionName),
    operations: path.map((s) => `${s.functionName}: ${s.operations.join(' ')}`),
    awsEstimateSeconds: awsEstimateSeconds(path, transitions),
    asking: Object.fromEntries(
      (['dynamodb', 'slack', 'stepfunctions'] as const).map((s: Service) => [s, path.at(-1)?.calls[s] ?? 0]),
    ) as WebhookPath['asking'],
    lastDmAt: dmAt,
  };
}

/**
 * The CMOC presses "Start customer comms" on the incident's first ask once the execution is parked for
 * it (pressed earlier, the press would race the park, and the path's counts would depend on which won; on
 * AWS a person reading the DM is slower than the park). Returns the DM pressed and when the press was made.
 */
export async function pressStartComms(
  world: World,
  about: (m: StoredMessage) => boolean,
  incidentId: string,
): Promise<{ dm: StoredMessage; pressedAt: number }> {
  const { findIncident } = await import('../lambdas/adapters/incidents.ts');
  await waitFor(
    'the incident parked for the CMOC',
    async () => ((await findIncident(incidentId))?.waitToken ? true : undefined),
    60_000,
  );
  const dm = await waitFor('the CMOC\'s "Start customer comms" DM', () =>
    world.slack
      .messages()
      .find((m) => m.channel.startsWith('D') && !m.ephemeralTo && hasButton(m, 'cmoc:start') && about(m)),
  );
  const pressedAt = performance.now();
  const answer = await pressOn(world, dm, 'cmoc:start');
  if (answer.status !== 200) throw new Error(`bench: the CMOC's press answered ${answer.status}`);
  return { dm, pressedAt };
}

/**
 * Webhook → the last owner's DM as the product took it, in seconds: from the webhook's request to the
 * Slack stand-in's record of the last DM (not when the bench's polling saw it), less the time nothing of
 * the product ran while the parked execution waited for the CMOC's press: from the end of the last
 * invocation before the press to the moment the bench made it. That wait is a person's on AWS and the
 * bench's polling here, not the path's.
 */
export function webhookToDmsSeconds(
  recording: Pick<Recording, 'invocations'>,
  startedAt: number,
  path: Pick<WebhookPath, 'lastDmAt'>,
  pressedAt: number,
): number {
  const busyUntil = recording.invocations
    .filter((i) => i.startedAt >= startedAt && i.startedAt < pressedAt)
    .reduce((at, i) => Math.max(at, i.endedAt ?? pressedAt), startedAt);
  const waited = Math.max(0, pressedAt - busyUntil);
  return (path.lastDmAt - startedAt - waited) / 1000;
}

/** The states each round of the incident visited, oldest round first. */
export async function roundsOf(runtime: Runtime, incidentId: string): Promise<StateVisit[][]> {
  const engine = runtime.stepFunctions.engine;
  const machine = stateMachineArn('update-round');
  const visits: StateVisit[][] = [];
  for (const item of (await engine.listExecutions({ stateMachineArn: machine })).reverse()) {
    const { input } = await engine.describeExecution({ executionArn: item.executionArn });
    if (input.includes(`"${incidentId}"`)) visits.push(engine.visitedStates(item.executionArn));
  }
  return visits;
}
