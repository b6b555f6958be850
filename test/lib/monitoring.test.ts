import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, functionName } from '../../lambdas/contract/functions.ts';
import {
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  SEND_CHANNELS,
  SERVICE_DIMENSION,
} from '../../lambdas/contract/metrics.ts';
import { RESERVED_CONCURRENCY, UNRESERVED_MINIMUM } from '../../lib/concurrency.ts';
import { TEST_CONFIG, synthStack } from './synth.ts';
import type { Synthesized } from './synth.ts';
import { functionsByName, resources } from './template-helpers.ts';

/** Alarms, the topic they notify, the dashboard and the front doors' reserved concurrency, as synthesized. */
const PREFIX = TEST_CONFIG.stackName;
let synth: Synthesized;
let unreserved: Synthesized;
beforeAll(() => {
  synth = synthStack({ bundle: false });
  unreserved = synthStack({ bundle: false, context: { reservedConcurrency: 'off' } });
});

type AlarmProps = {
  AlarmName?: string;
  AlarmActions?: unknown[];
  MetricName?: string;
  Namespace?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: Record<string, unknown> } }[];
};
const alarms = () =>
  resources(synth.template, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties as AlarmProps);
const alarmNamed = (name: string): AlarmProps => {
  const found = alarms().find((a) => a.AlarmName === `${PREFIX}-${name}`);
  if (!found) throw new Error(`No alarm ${PREFIX}-${name}`);
  return found;
};
const topicRef = () => ({ Ref: Object.keys(synth.template.findResources('AWS::SNS::Topic'))[0] });

describe('alarms', () => {
  it.each(FUNCTIONS.map((f) => [f.name] as const))(
    '%s has an errors and a throttles alarm on the topic',
    (name) => {
      const fnId = functionsByName(synth.template).get(functionName(PREFIX, name));
      for (const [kind, metric] of [
        ['errors', 'Errors'],
        ['throttles', 'Throttles'],
      ] as const) {
        const alarm = alarmNamed(`${name}-${kind}`);
        expect(alarm).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          AlarmActions: [topicRef()],
        });
        expect(alarm.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: fnId } }]);
      }
    },
  );

  it("watches the HTTP API's 5xx and the follow-ups' dead-letter queue", () => {
    const api = Object.keys(synth.template.findResources('AWS::ApiGatewayV2::Api'))[0];
    expect(alarmNamed('api-5xx')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: api } }],
      AlarmActions: [topicRef()],
    });
    const dlq = alarmNamed('follow-ups-dead-letters');
    expect(dlq).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' });
    const queue = Object.keys(synth.template.findResources('AWS::SQS::Queue'))[0];
    expect(dlq.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }]);
  });

  it("reads the SMS undelivered rate and failed sends from the product's own metrics", () => {
    const productMetrics = (alarm: AlarmProps) =>
      (alarm.Metrics ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    const sms = alarmNamed('sms-undelivered-rate');
    expect(productMetrics(sms).map((m) => [m.Namespace, m.MetricName])).toEqual(
      Array(3).fill([METRICS_NAMESPACE, METRIC.smsReceipts]),
    );
    const statuses = productMetrics(sms).map(
      (m) =>
        (m.Dimensions as { Name: string; Value: string }[]).find((d) => d.Name === DIMENSION.status)?.Value,
    );
    expect(statuses.sort()).toEqual(['delivered', 'failed', 'undelivered']);
    const failed = alarmNamed('customer-sends-failed');
    const channels = productMetrics(failed).map((m) => {
      const dims = Object.fromEntries(
        (m.Dimensions as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]),
      );
      expect(dims).toMatchObject({ [SERVICE_DIMENSION]: PREFIX, [DIMENSION.outcome]: 'failed' });
      return dims[DIMENSION.channel];
    });
    expect(channels.sort()).toEqual([...SEND_CHANNELS].sort());
    for (const alarm of [sms, failed]) expect(alarm.AlarmActions).toEqual([topicRef()]);
  });
});

describe('dashboard', () => {
  it('shows incidents open, sends by channel and outcome, escalations and time to first notice', () => {
    const [, dashboard] = resources(synth.template, 'AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(synth.stack.resolve(dashboard.Properties?.DashboardBody));
    for (const name of [
      METRIC.incidentsOpen,
      METRIC.incidentsOpened,
      METRIC.incidentsResolved,
      METRIC.customerSends,
      METRIC.escalations,
      METRIC.timeToFirstNotice,
      METRIC.smsReceipts,
    ])
      expect(body, name).toContain(`\\"${name}\\"`);
    expect(body).toContain(METRICS_NAMESPACE);
    expect(dashboard.Properties?.DashboardName).toBe(`${PREFIX}-incident-comms`);
  });
});

describe('reserved concurrency', () => {
  it('holds executions for the front doors only, within what the account keeps unreserved', () => {
    for (const spec of FUNCTIONS) {
      synth.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: functionName(PREFIX, spec.name),
        ReservedConcurrentExecutions: RESERVED_CONCURRENCY[spec.name] ?? Match.absent(),
      });
    }
    const reserved = Object.entries(RESERVED_CONCURRENCY);
    expect(reserved.every(([name]) => 'routes' in FUNCTIONS.find((f) => f.name === name)!)).toBe(true);
    const total = reserved.reduce((sum, [, n]) => sum + (n ?? 0), 0);
    // The default account limit is 1,000: the reservations and Lambda's unreserved floor fit well inside.
    expect(total + UNRESERVED_MINIMUM).toBeLessThanOrEqual(1000);
  });

  it('reserves nothing with -c reservedConcurrency=off', () => {
    for (const [, fn] of resources(unreserved.template, 'AWS::Lambda::Function'))
      expect(fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
  });
});
