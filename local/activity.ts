import type { HistoryEvent, LocalEngine, LocalLambdaHandler } from './stepfunctions/index.ts';

/**
 * `npm start`'s running commentary: one line per thing that happens to an incident, read from the local
 * Step Functions service's history events (the same events the console shows) and the sends' results, so
 * the product's code knows nothing of it. Names of states are a contract (docs/architecture.md, "Names that stay"), which is
 * what lets this key on them.
 */

type Input = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function parse(json: unknown): Input {
  if (typeof json !== 'string') return {};
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Input) : {};
  } catch {
    return {};
  }
}

const field = (input: Input, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (at, key) => (at !== null && typeof at === 'object' ? (at as Input)[key] : undefined),
    input,
  );

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What entering a state means, by its name; undefined for the states that are only bookkeeping. */
const ON_ENTER: Record<string, (input: Input) => string> = {
  'Ask the CMOC to confirm customer impact': () => 'CMOC asked to confirm customer impact',
  'Remind the CMOC to confirm customer impact': () => 'CMOC reminded to confirm customer impact',
  'Send the initial update': () => 'initial update round started',
  'Send the scheduled update': () => 'scheduled update round started',
  'Send the resolution update': () => 'resolved: resolution update round started',
  'Send the maintenance heads-up': () => 'maintenance heads-up round started',
  'Send the maintenance completion notice': () => 'maintenance completion round started',
  "Hand over to the next region's CMOC": () => "handed over to the next region's CMOC",
  'Tell the owners the severity changed': () => 'severity changed: owners told',
  'Ask the CMOC to approve the draft': (i) => `CMOC asked to approve round ${String(i.round)}'s draft`,
  'Ask the account owner to send': (i) => `owner ${String(i.ownerId)} asked to send round ${String(i.round)}`,
  'Ask the regional backup to send': (i) =>
    `escalated: ${String(i.ownerId)}'s regional backup asked to send round ${String(i.round)}`,
  'Tell the CMOC nobody could send': (i) =>
    `escalated: nobody could send to ${String(i.ownerId)}'s accounts; CMOC alerted`,
  'Ask the CMOC: try again or stop comms': (i) => failed(i),
  "Ask the CMOC: try the owner's step again or stop comms": (i) => failed(i),
  'Ask the CMOC: try again or stop the follow-up': (i) => failed(i),
  'Tell the CMOC a step was left out': (i) =>
    `failed: ${String(field(i, 'failure', 'step'))} left out; CMOC told`,
  "Tell the CMOC an owner's step was left out": (i) =>
    `failed: ${String(field(i, 'failure', 'step'))} for ${String(i.ownerId)} left out; CMOC told`,
  'Remind the engineering lead about the write-up': () => 'engineering lead reminded about the write-up',
  'Tell the CMOC the write-up is overdue': () => 'write-up overdue: CMOC told',
  'Send the write-up to every affected customer': () => 'write-up going to every affected customer',
  'Incident closed': () => 'closed',
  'Comms stopped by the CMOC': () => 'comms stopped by the CMOC',
};

function failed(input: Input): string {
  const step = String(field(input, 'failure', 'step'));
  const error = text(field(input, 'failure', 'error'));
  return `failed: ${step}${error ? ` (${error})` : ''}; CMOC asked to try again or stop comms`;
}

export interface ActivityLine {
  at: Date;
  incidentId: string;
  what: string;
}

/**
 * The line one history event makes, if it is one a person would want to see; `incidentId` is the one the
 * execution started with, for the events that carry no input (an execution failing).
 */
export function activityOf(
  executionArn: string,
  event: HistoryEvent,
  incidentId?: string,
): ActivityLine | undefined {
  const machine = executionArn.split(':').at(-2);
  let input: Input = {};
  let what: string | undefined;
  if (event.type === 'ExecutionStarted') {
    input = parse(event.executionStartedEventDetails?.input);
    if (machine === 'incident') what = 'incident started';
    if (machine === 'postmortem') what = 'write-up follow-up started';
  } else if (event.type === 'ExecutionFailed' || event.type === 'ExecutionTimedOut') {
    const error = text(event.executionFailedEventDetails?.error) ?? 'States.Timeout';
    if (machine === 'incident') what = `failed: the incident's execution ended (${error})`;
    if (machine === 'postmortem') what = `failed: the write-up follow-up ended (${error})`;
  } else if (event.type.endsWith('StateEntered')) {
    const details = event.stateEnteredEventDetails;
    input = parse(details?.input);
    what = ON_ENTER[String(details?.name)]?.(input);
  }
  const id = text(input.incidentId) ?? incidentId;
  if (!what || !id) return undefined;
  return { at: event.timestamp, incidentId: id, what };
}

/** "10:42:07  Q1ABC  owner amy asked to send round 1" */
export function formatActivity(line: ActivityLine): string {
  return `${line.at.toISOString().slice(11, 19)}  ${line.incidentId}  ${line.what}`;
}

/**
 * What a finished send says: who sent to how many. Read from the deliver-update Lambda's own event and
 * result, since its state keeps no result (ResultPath null) and a Map's task events name no iteration.
 */
export function deliveryActivity(event: unknown, result: unknown, at: Date): ActivityLine | undefined {
  const input = event !== null && typeof event === 'object' ? (event as Input) : {};
  const output = result !== null && typeof result === 'object' ? (result as Input) : {};
  const incidentId = text(input.incidentId);
  const { sent, failed: failures, alreadySent } = output;
  if (!incidentId || typeof sent !== 'number') return undefined;
  const round = `round ${String(input.round)}`;
  const owner = String(input.ownerId);
  if (output.outOfDate === true)
    return { at, incidentId, what: `${round} for ${owner}'s accounts left unsent: out of date` };
  if (input.mode === 'record_only')
    return { at, incidentId, what: `${round} sent by hand by ${String(input.senderId)} (recorded)` };
  const extra = [
    typeof alreadySent === 'number' && alreadySent > 0 ? `${alreadySent} already sent` : '',
    typeof failures === 'number' && failures > 0 ? `${failures} failed` : '',
  ].filter(Boolean);
  const who =
    input.asCompany === true
      ? `as the company (CMOC ${String(input.senderId)})`
      : `by ${String(input.senderId)}`;
  const what = `${input.asCompany === true ? 'escalated: ' : ''}${round} sent ${who} to ${plural(sent, 'recipient')} of ${owner}'s accounts${extra.length ? ` (${extra.join(', ')})` : ''}`;
  return { at, incidentId, what };
}

type ResolveLambda = (functionNameOrArn: string) => Promise<LocalLambdaHandler>;

/** The feed `npm start` prints: Step Functions' history events and the sends' results, as lines. */
export class Activity {
  private stop: (() => void) | undefined;

  constructor(private readonly print: (line: string) => void) {}

  /** The local runtime's Lambda resolver, with each send's result also reported here. */
  observeLambdas(resolve: ResolveLambda): ResolveLambda {
    return async (name) => {
      const handler = await resolve(name);
      if (!name.endsWith('deliver-update')) return handler;
      return async (event, context) => {
        const result = await handler(event, context);
        this.emit(deliveryActivity(event, result, new Date()));
        return result;
      };
    };
  }

  watch(engine: LocalEngine): void {
    const listener = (executionArn: string, event: HistoryEvent) =>
      this.emit(activityOf(executionArn, event));
    engine.on('event', listener);
    this.stop = () => engine.off('event', listener);
  }

  close(): void {
    this.stop?.();
  }

  private emit(line: ActivityLine | undefined): void {
    if (line) this.print(formatActivity(line));
  }
}
