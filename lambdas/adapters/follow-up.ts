import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { HttpEvent, HttpResult } from './http.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { logger } from './logger.ts';
import { claim, finish, release } from './webhook-dedup.ts';

/**
 * Answer first, then finish (docs/architecture.md, "Answer first, then finish"): a front door checks a
 * request, answers its caller within the caller's budget (Slack 3 s, PagerDuty 5 s) and hands the rest to
 * an asynchronous invocation of the same function. Lambda queues that event, retries a failure twice and
 * sends what still fails to the dead-letter queue; it may also deliver an event more than once, so the
 * work is idempotent (`once`, or the work's own claims).
 *
 * AWS_ENDPOINT_URL_LAMBDA points the client at the local Lambda API, which runs the same handler the same
 * way; the function's own name comes from its invocation context, so nothing here knows where it runs.
 */
export interface FollowUp<K extends string = string, P = unknown> {
  followUp: K;
  /** Minted when the request was accepted: the same on every delivery of this event. */
  id: string;
  /** When the request was accepted (ISO): a press or a command counts from then, not from its follow-up. */
  acceptedAt: string;
  payload: P;
}

/** Module-scope client, like the others (dynamodb.ts). */
const lambda = new LambdaClient({});

/** Queues `payload` for this very function (Invoke, InvocationType "Event"); resolves once Lambda has it. */
export async function followUp<K extends string, P>(
  context: { functionName: string },
  kind: K,
  payload: P,
  acceptedAt: Date,
): Promise<FollowUp<K, P>> {
  const event: FollowUp<K, P> = {
    followUp: kind,
    id: randomUUID(),
    acceptedAt: acceptedAt.toISOString(),
    payload,
  };
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: context.functionName,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(event)),
    }),
  );
  // 202 is Lambda's "queued"; anything else means the event was not taken.
  if (out.StatusCode !== 202) throw new Error(`Lambda answered ${out.StatusCode} to the follow-up`);
  return event;
}

/** A follow-up event rather than an HTTP request: the same function receives both. */
export function isFollowUp(event: unknown): event is FollowUp {
  if (typeof event !== 'object' || event === null) return false;
  const { followUp: kind, id, acceptedAt } = event as Record<string, unknown>;
  return typeof kind === 'string' && typeof id === 'string' && typeof acceptedAt === 'string';
}

/**
 * A front door's handler: one function invoked two ways, by its HTTP request (`answer`, which may queue a
 * follow-up) and by the follow-up it queued (`finish`, which answers nobody).
 */
export function frontDoor<L extends FollowUp>(
  answer: (event: HttpEvent, context: { functionName: string }) => Promise<HttpResult>,
  finish: (event: L) => Promise<void>,
): (event: HttpEvent | L, context: { functionName: string }) => Promise<HttpResult | undefined> {
  return lambdaHandler(
    async (event: HttpEvent | L, context: { functionName: string }): Promise<HttpResult | undefined> => {
      if (isFollowUp(event)) {
        await finish(event);
        return undefined;
      }
      return answer(event, context);
    },
  );
}

/** Another delivery of the same follow-up is running: failing makes Lambda retry this one later. */
export class FollowUpInFlight extends Error {
  constructor(id: string) {
    super(`follow-up ${id} is being run by another delivery; retried later`);
    this.name = 'FollowUpInFlight';
  }
}

/**
 * Runs `work` once for this follow-up however often Lambda delivers it: claimed before, marked done after,
 * released when it fails so that Lambda's retry runs it again. `repeat` when it had already run.
 */
export async function once(event: FollowUp, work: () => Promise<void>): Promise<'ran' | 'repeat'> {
  const key = { kind: 'follow-up', id: event.id } as const;
  const outcome = await claim(key, new Date());
  if (outcome === 'done') {
    logger.info('follow-up delivered again; it already ran', { followUp: event.followUp, id: event.id });
    return 'repeat';
  }
  if (outcome === 'in-flight') throw new FollowUpInFlight(event.id);
  try {
    await work();
  } catch (error) {
    await release(key).catch(() => undefined);
    throw error;
  }
  await finish(key, 'done');
  return 'ran';
}
