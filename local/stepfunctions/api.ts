import type { LocalEngine } from './engine.ts';
import { apiError } from './errors.ts';
import type { ExecutionStatus, HistoryEvent, StartExecutionInput } from './types.ts';

/** The Step Functions JSON API operations, mapped onto the engine (request/response members as AWS names them). */
export type Operation = (engine: LocalEngine, body: Record<string, unknown>) => Promise<unknown>;

function required(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw apiError(
      'ValidationException',
      `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optional(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw apiError('ValidationException', `'${key}' must be a string`);
  return value;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** Pages a list the way AWS does: maxResults (0 = default 100) and an opaque nextToken. */
function page<T>(
  items: T[],
  body: Record<string, unknown>,
  scope: string,
): { items: T[]; nextToken?: string } {
  const max = body.maxResults ?? 0;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > MAX_PAGE) {
    throw apiError('ValidationException', `maxResults must be an integer from 0 to ${MAX_PAGE}`);
  }
  let offset = 0;
  if (body.nextToken !== undefined && body.nextToken !== null) {
    const token = body.nextToken;
    const decoded =
      typeof token === 'string' ? /^(\d+):(.*)$/.exec(Buffer.from(token, 'base64url').toString()) : null;
    if (!decoded || decoded[2] !== scope)
      throw apiError('InvalidToken', 'Invalid Token: the nextToken is not valid here');
    offset = Number(decoded[1]);
  }
  const size = max === 0 ? DEFAULT_PAGE : max;
  const next = offset + size;
  const result: { items: T[]; nextToken?: string } = { items: items.slice(offset, next) };
  if (next < items.length) result.nextToken = Buffer.from(`${next}:${scope}`).toString('base64url');
  return result;
}

const STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

/** includeExecutionData=false: the events without their payloads. */
function withoutData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const key of Object.keys(copy) as (keyof HistoryEvent)[]) {
    if (typeof key !== 'string' || !key.endsWith('EventDetails')) continue;
    const details = { ...(copy[key] as Record<string, unknown>) };
    for (const field of ['input', 'output', 'parameters']) delete details[field];
    copy[key as `${string}EventDetails`] = details;
  }
  return copy;
}

export const operations: Record<string, Operation> = {
  async ListStateMachines(engine, body) {
    const { items, nextToken } = page(await engine.listStateMachines(), body, 'machines');
    return { stateMachines: items, nextToken };
  },
  DescribeStateMachine: (engine, body) =>
    engine.describeStateMachine({ stateMachineArn: required(body, 'stateMachineArn') }),
  StartExecution(engine, body) {
    const input: StartExecutionInput = { stateMachineArn: required(body, 'stateMachineArn') };
    const name = optional(body, 'name');
    const text = optional(body, 'input');
    if (name !== undefined) input.name = name;
    if (text !== undefined) input.input = text;
    return engine.startExecution(input);
  },
  DescribeExecution: (engine, body) =>
    engine.describeExecution({ executionArn: required(body, 'executionArn') }),
  async ListExecutions(engine, body) {
    const statusFilter = optional(body, 'statusFilter');
    if (statusFilter !== undefined && !STATUSES.has(statusFilter)) {
      throw apiError('ValidationException', `statusFilter must be one of ${[...STATUSES].join(', ')}`);
    }
    if (body.mapRunArn !== undefined)
      throw apiError('ValidationException', 'Distributed Map runs are not supported locally');
    const stateMachineArn = required(body, 'stateMachineArn');
    const all = await engine.listExecutions({
      stateMachineArn,
      ...(statusFilter ? { statusFilter: statusFilter as ExecutionStatus } : {}),
    });
    const { items, nextToken } = page(all, body, `executions:${stateMachineArn}:${statusFilter ?? ''}`);
    return { executions: items, nextToken };
  },
  async GetExecutionHistory(engine, body) {
    const executionArn = required(body, 'executionArn');
    let events = await engine.history(executionArn);
    if (body.reverseOrder === true) events.reverse();
    if (body.includeExecutionData === false) events = events.map(withoutData);
    const { items, nextToken } = page(events, body, `history:${executionArn}:${body.reverseOrder === true}`);
    return { events: items, nextToken };
  },
  StopExecution(engine, body) {
    const input: { executionArn: string; error?: string; cause?: string } = {
      executionArn: required(body, 'executionArn'),
    };
    const error = optional(body, 'error');
    const cause = optional(body, 'cause');
    if (error !== undefined) input.error = error;
    if (cause !== undefined) input.cause = cause;
    return engine.stopExecution(input);
  },
  async SendTaskSuccess(engine, body) {
    await engine.sendTaskSuccess({
      taskToken: required(body, 'taskToken'),
      output: required(body, 'output'),
    });
    return {};
  },
  async SendTaskFailure(engine, body) {
    const input: { taskToken: string; error?: string; cause?: string } = {
      taskToken: required(body, 'taskToken'),
    };
    const error = optional(body, 'error');
    const cause = optional(body, 'cause');
    if (error !== undefined) input.error = error;
    if (cause !== undefined) input.cause = cause;
    await engine.sendTaskFailure(input);
    return {};
  },
  async SendTaskHeartbeat(engine, body) {
    await engine.sendTaskHeartbeat({ taskToken: required(body, 'taskToken') });
    return {};
  },
};

/** The JSON 1.0 wire form: timestamps as epoch seconds (fractional), undefined members left out. */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}
