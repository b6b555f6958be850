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
  /** When its response had come (absent if it never did while recording). */
  endedAt?: number;
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
  const open = new WeakMap<object, Call>();
  const started = (request: object, service: Service, operation: string) => {
    const call: Call = { service, operation, at: performance.now(), invocationId: currentInvocation()?.id };
    calls.push(call);
    open.set(request, call);
  };
  const finished = (message: unknown) => {
    const call = open.get((message as { request: object }).request);
    if (call) call.endedAt ??= performance.now();
  };
  const onRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const target = request.getHeader('x-amz-target');
    started(
      request,
      byHost.get(String(request.getHeader('host') ?? request.host)) ?? 'other',
      typeof target === 'string' ? target : request.path,
    );
  };
  // fetch (the Slack client's transport) goes through undici, which has channels of its own.
  const onFetch = (message: unknown) => {
    const request = (message as { request: { origin: string; path: string } }).request;
    started(request, byHost.get(new URL(request.origin).host) ?? 'other', request.path);
  };
  const channels: [string, (message: unknown) => void][] = [
    ['http.client.request.start', onRequest],
    ['http.client.response.finish', finished],
    ['undici:request:create', onFetch],
    ['undici:request:headers', finished],
  ];
  for (const [name, listener] of channels) diagnostics.subscribe(name, listener);
  return {
    invocations,
    calls,
    stop: () => {
      unwatch();
      for (const [name, listener] of channels) diagnostics.unsubscribe(name, listener);
    },
  };
}

/** A call after which other work can start before the caller returns. */
const handsOn = (call: Call): boolean =>
  call.service === 'lambda' ||
  call.service === 'stepfunctions' ||
  (call.service === 'slack' && call.operation.endsWith('chat.postMessage'));

/**
 * Round trips one after another among calls: calls made side by side (a Promise.all of writes) count
 * once. The most calls that did not overlap (earliest-ending first finds that many).
 */
export function sequentialRoundTrips(calls: readonly Call[]): number {
  let count = 0;
  let freeAt = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => (a.endedAt ?? a.at) - (b.endedAt ?? b.at))) {
    if (call.at < freeAt) continue;
    count++;
    freeAt = call.endedAt ?? call.at;
  }
  return count;
}

export interface PathStep {
  functionName: string;
  calls: Partial<Record<Service, number>>;
  /** Every call it made on the path, in order, e.g. `slack:chat.postMessage`, `dynamodb:GetItem`. */
  operations: string[];
}

/**
 * The longest chain of invocations that ran one after another (each started after the previous ended),
 * from `from` on, ending with `last`. Invocations that overlap ran in parallel (a Map's iterations) and
 * only one of them can be on the path; among equally long chains, the one with the most calls wins.
 * Each step's calls are counted per service as round trips one after another (sequentialRoundTrips).
 */
export function longestChain(
  invocations: readonly Invocation[],
  calls: readonly Call[],
  from: number,
  last: Invocation,
  /** The last invocation's calls after this (what it did once the DM was out) are not on the path. */
  until = Number.POSITIVE_INFINITY,
): PathStep[] {
  const perInvocation = new Map<number, Call[]>();
  for (const call of calls)
    if (call.invocationId !== undefined)
      perInvocation.set(call.invocationId, [...(perInvocation.get(call.invocationId) ?? []), call]);
  // An invocation hands on with its first call that starts other work (an async invoke, a StartExecution,
  // a SendTaskSuccess, a message a person answers) or else with its end (a task's result): what follows
  // may start while it is still finishing its own bookkeeping.
  const handsOnAt = (i: Invocation) =>
    perInvocation.get(i.id)?.find(handsOn)?.at ?? i.endedAt ?? Number.POSITIVE_INFINITY;
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
    // What an invocation did after handing on ran beside the next step, not before it.
    const cutOff = invocation.id === last.id ? until : handsOnAt(invocation);
    const made = (perInvocation.get(invocation.id) ?? []).filter((c) => c.at <= cutOff);
    const counts: Partial<Record<Service, number>> = {};
    for (const service of new Set(made.map((c) => c.service)))
      counts[service] = sequentialRoundTrips(made.filter((c) => c.service === service));
    return {
      functionName: invocation.functionName,
      calls: counts,
      operations: made.map((c) => `${c.service}:${c.operation.replace(/^.*[./]/, '')}`),
    };
  });
}

export function totalCalls(path: readonly PathStep[], service: Service): number {
  return path.reduce((sum, step) => sum + (step.calls[service] ?? 0), 0);
}
