import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  type EscalationTarget,
  type SendChannel,
  type SendOutcome,
  type SmsFinalStatus,
} from '../contract/metrics.ts';
import { logger } from './logger.ts';

/**
 * The product's metrics (names in contract/metrics.ts), written as CloudWatch embedded-metric-format lines
 * by Powertools Metrics when the invocation ends (the lambdaHandler wrapper calls flushMetrics).
 *
 * Powertools puts every metric of one flush under one set of dimensions, while one delivery records
 * outcomes for several channels: so the figures are gathered here by dimension set, counts summed, and
 * each set is flushed as one line. An invocation that recorded nothing writes nothing (Powertools would
 * warn about empty metrics on every such invocation). POWERTOOLS_METRICS_DISABLED turns the lines off
 * (the local runtime does, see local/runtime.ts).
 */
const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'incident-comms',
});

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];
interface Figure {
  unit: Unit;
  /** A count keeps one running sum; a gauge or a duration keeps every value, for its statistics. */
  sum: boolean;
  values: number[];
}
const pending = new Map<string, { dimensions: Record<string, string>; figures: Map<string, Figure> }>();

function add(
  name: string,
  unit: Unit,
  value: number,
  dimensions: Record<string, string>,
  sum: boolean,
): void {
  const key = keyOf(dimensions);
  let group = pending.get(key);
  if (!group) {
    group = { dimensions, figures: new Map() };
    pending.set(key, group);
  }
  const figure = group.figures.get(name) ?? { unit, sum, values: [] };
  if (sum && figure.values.length > 0) figure.values[0] = (figure.values[0] ?? 0) + value;
  else figure.values.push(value);
  group.figures.set(name, figure);
}

/**
 * One key per dimension set, whatever order its names came in. Built by hand: a broadcast counts one send
 * per channel, and a JSON string of sorted entries for each was a measurable part of a post's CPU.
 */
function keyOf(dimensions: Record<string, string>): string {
  const names = Object.keys(dimensions);
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) key += `${name}\u0000${dimensions[name]}\u0001`;
  return key;
}

const count = (name: string, dimensions: Record<string, string> = {}) =>
  add(name, MetricUnit.Count, 1, dimensions, true);

export const countIncidentOpened = () => count(METRIC.incidentsOpened);
export const countIncidentResolved = () => count(METRIC.incidentsResolved);
export const gaugeIncidentsOpen = (open: number) =>
  add(METRIC.incidentsOpen, MetricUnit.Count, open, {}, false);

export const countSend = (channel: SendChannel, outcome: SendOutcome) =>
  count(METRIC.customerSends, { [DIMENSION.channel]: channel, [DIMENSION.outcome]: outcome });

export const countSmsReceipt = (status: SmsFinalStatus) =>
  count(METRIC.smsReceipts, { [DIMENSION.status]: status });

export const countEscalation = (to: EscalationTarget) => count(METRIC.escalations, { [DIMENSION.to]: to });

export const recordTimeToFirstNotice = (seconds: number) =>
  add(METRIC.timeToFirstNotice, MetricUnit.Seconds, seconds, {}, false);

/** Writes what this invocation recorded, one line per dimension set. Never fails the invocation. */
export function flushMetrics(): void {
  try {
    for (const { dimensions, figures } of pending.values()) {
      metrics.addDimensions(dimensions);
      for (const [name, { unit, values }] of figures)
        for (const value of values) metrics.addMetric(name, unit, value);
      metrics.publishStoredMetrics();
    }
  } catch (error) {
    logger.warn('metrics not written', { error });
  } finally {
    pending.clear();
  }
}
