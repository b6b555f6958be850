import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { currentInvocation, watchInvocations, type Invocation } from '../local/invocations.ts';

/**
 * The critical path from the PagerDuty webhook to the last owner's DM, counted on the local runtime, where
 * every Lambda invocation and every outgoing call is visible (docs/architecture.md, "Budgets"): counts do
 * not depend on the machine, and an AWS estimate is built from them and per-step latencies.
 *
 * Invocations are the handlers the runtime ran (local/invocations.ts); calls are the HTTP requests the
 * product's SDK clients made, attributed to the invocation whose async context made them (Node's
 * `http.client.request.start` diagnostics channel fires in the caller's context).
 */
export type Service = 'dynamodb' | 'slack' | 'stepfunctions' | 'lambda' | 'ses' | 'twilio' | 'other';

export interface Call {
  service: Service;
  /** e.g. DynamoDB_20120810.PutItem, /api/chat.postMessage */
  operation: string;
  at: number;
  invocationId: number | undefined;
}

export interface Recording {
  invocations: Invocation[];
  calls: Call[];
  stop: () => void;
}

/** host:port → service, from the endpoint variables the runtime set for the SDK clients. */
function servicesByHost(env: NodeJS.ProcessEnv): Map<string, Service> {
  const byHost = new Map<string, Service>();
  const add = (url: string | undefined, service: Service) => {
    if (url) byHost.set(new URL(url).host, service);
  };
  add(env.AWS_ENDPOINT_URL_DYNAMODB, 'dynamodb');
  add(env.SLACK_API_URL, 'slack');
  add(env.AWS_ENDPOINT_URL_SFN, 'stepfunctions');
  add(env.AWS_ENDPOINT_URL_LAMBDA, 'lambda');
  add(env.AWS_ENDPOINT_URL_SES, 'ses');
  add(env.TWILIO_API_URL, 'twilio');
  return byHost;
}

/** Starts recording invocations and their outgoing calls; call after the runtime has set its endpoints. */
export function record(env: NodeJS.ProcessEnv = process.env): Recording {
  const byHost = servicesByHost(env);
  const invocations: Invocation[] = [];
  const calls: Call[] = [];
  const unwatch = watchInvocations((invocation, phase) => {
    if (phase === 'start') invocations.push(invocation);
  });
  const onRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const host = String(request.getHeader('host') ?? request.host);
    const service = byHost.get(host) ?? 'other';
    const target = request.getHeader('x-amz-target');
    calls.push({
      service,
      operation: typeof target === 'string' ? target : request.path,
      at: performance.now(),
      invocationId: currentInvocation()?.id,
    });
  };
  // fetch (the Slack client's transport) goes through undici, which has channels of its own.
  const onFetch = (message: unknown) => {
    const request = (message as { request: { origin: string; path: string } }).request;
    calls.push({
      service: byHost.get(new URL(request.origin).host) ?? 'other',
      operation: request.path,
      at: performance.now(),
      invocationId: currentInvocation()?.id,
    });
  };
  diagnostics.subscribe('http.client.request.start', onRequest);
  diagnostics.subscribe('undici:request:create', onFetch);
  return {
    invocations,
    calls,
    stop: () => {
      unwatch();
      diagnostics.unsubscribe('http.client.request.start', onRequest);
      diagnostics.unsubscribe('undici:request:create', onFetch);
    },
  };
}

export interface PathStep {
  functionName: string;
  calls: Partial<Record<Service, number>>;
}

/**
 * The longest chain of invocations that ran one after another (each started after the previous ended),
 * from `from` on, ending with `last`. Invocations that overlap ran in parallel (a Map's iterations) and
 * only one of them can be on the path; among equally long chains, the one with the most calls wins.
 */
export function longestChain(
  invocations: readonly Invocation[],
  calls: readonly Call[],
  from: number,
  last: Invocation,
): PathStep[] {
  const perInvocation = new Map<number, Call[]>();
  for (const call of calls)
    if (call.invocationId !== undefined)
      perInvocation.set(call.invocationId, [...(perInvocation.get(call.invocationId) ?? []), call]);
  // An invocation hands on with its first call that starts other work (an async invoke, a StartExecution,
  // a SendTaskSuccess) or else with its end (a task's result): what follows may start while it is still
  // finishing its own bookkeeping.
  const handsOnAt = (i: Invocation) =>
    perInvocation.get(i.id)?.find((c) => c.service === 'lambda' || c.service === 'stepfunctions')?.at ??
    i.endedAt ??
    Number.POSITIVE_INFINITY;
  if (last.startedAt < from) return [];
  // Earlier invocations by end, the last one last: it may still be running (it posts the DM, then records it).
  const candidates = [
    ...invocations
      .filter((i) => i.id !== last.id && i.startedAt >= from && i.startedAt <= last.startedAt)
      .sort((a, b) => handsOnAt(a) - handsOnAt(b)),
    last,
  ];
  const best = new Map<number, { length: number; calls: number; previous?: Invocation }>();
  for (const current of candidates) {
    let choice: { length: number; calls: number; previous?: Invocation } = { length: 0, calls: 0 };
    for (const earlier of candidates) {
      if (earlier.id === current.id || handsOnAt(earlier) > current.startedAt) continue;
      const found = best.get(earlier.id);
      if (
        found &&
        (found.length > choice.length || (found.length === choice.length && found.calls > choice.calls))
      )
        choice = { ...found, previous: earlier };
    }
    best.set(current.id, {
      length: choice.length + 1,
      calls: choice.calls + (perInvocation.get(current.id)?.length ?? 0),
      ...(choice.previous ? { previous: choice.previous } : {}),
    });
  }
  const chain: Invocation[] = [];
  for (let at: Invocation | undefined = last; at; at = best.get(at.id)?.previous) chain.unshift(at);
  return chain.map((invocation) => {
    const counts: Partial<Record<Service, number>> = {};
    for (const call of perInvocation.get(invocation.id) ?? [])
      counts[call.service] = (counts[call.service] ?? 0) + 1;
    return { functionName: invocation.functionName, calls: counts };
  });
}

export function totalCalls(path: readonly PathStep[], service: Service): number {
  return path.reduce((sum, step) => sum + (step.calls[service] ?? 0), 0);
}
