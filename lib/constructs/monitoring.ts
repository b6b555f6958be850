/**
 * Someone knows when something is wrong: an alarm on every Lambda's errors and throttles, the HTTP API's 5xx, each dead-letter queue's
 * depth, the SMS undelivered rate and failed customer sends, all sending to the stack's alarm topic (which
 * exists in every deploy; the email subscription is optional); and a dashboard of
 * incidents open, sends by channel and outcome, escalations and time to first notice. The product's own
 * figures are read by the names in lambdas/contract/metrics.ts, which the code emits.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  DIMENSION,
  ESCALATION_TARGETS,
  METRIC,
  METRICS_NAMESPACE,
  SEND_CHANNELS,
  SEND_OUTCOMES,
  SERVICE_DIMENSION,
} from '../../lambdas/contract/metrics.ts';

/**
 * When an alarm fires. One Lambda error is news (every step retries, so an error that reaches the metric
 * is one a person may need to look at); the rates wait for enough traffic to mean something.
 */
export const ALARM_RULES = {
  period: Duration.minutes(5),
  /** SMS: undelivered or failed receipts, of all final receipts in the hour, at least this share … */
  smsUndeliveredPercent: 20,
  /** … once at least this many receipts came in (two bad numbers in a small round are not a trend). */
  smsMinimumReceipts: 10,
  smsPeriod: Duration.hours(1),
  /** Customer sends recorded failed in 15 minutes (permanent failures, or attempts given up). */
  failedSends: 5,
  failedSendsPeriod: Duration.minutes(15),
} as const;

export interface MonitoredFunction {
  /** The name the alarms and the dashboard use (the function's FUNCTIONS name). */
  readonly name: string;
  readonly function: IFunction;
}

export interface MonitoringProps {
  /** Prefix of alarm and dashboard names, and the product's `service` dimension (the stack name). */
  readonly namePrefix: string;
  /** Where every alarm sends (the stack's topic, which exists in every deploy). */
  readonly topic: ITopic;
  readonly functions: readonly MonitoredFunction[];
  /** The HTTP API's id, for its 5xx metric. */
  readonly apiId: string;
  /** Queues whose depth means work the product gave up on. */
  readonly deadLetterQueues?: readonly DeadLetters[];
  /** Alarms made elsewhere (the state machines') that notify the topic too. */
  readonly alarms?: readonly Alarm[];
}

export interface DeadLetters {
  readonly name: string;
  readonly queue: IQueue;
  /** What lands there, for the alarm's description ("A front door's follow-up"). */
  readonly what: string;
}

export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly action: SnsAction;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: MonitoringProps,
  ) {
    super(scope, id);
    this.action = new SnsAction(props.topic);

    for (const { name, function: fn } of props.functions) {
      const period = { period: ALARM_RULES.period, statistic: Stats.SUM };
      this.alarm(
        `${name}-errors`,
        fn.metricErrors(period),
        1,
        `${name} failed an invocation (an error or a time-out).`,
      );
      this.alarm(
        `${name}-throttles`,
        fn.metricThrottles(period),
        1,
        `${name} was throttled: its reserved concurrency or the account's limit is too small for the load.`,
      );
    }
    this.alarm(
      'api-5xx',
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName: '5xx',
        dimensionsMap: { ApiId: props.apiId },
        period: ALARM_RULES.period,
        statistic: Stats.SUM,
      }),
      1,
      'The HTTP API answered 5xx: PagerDuty retries, but Slack and Twilio do not.',
    );
    this.alarm(
      'sms-undelivered-rate',
      this.smsUndeliveredPercent(),
      ALARM_RULES.smsUndeliveredPercent,
      `More than ${ALARM_RULES.smsUndeliveredPercent} % of SMS receipts in an hour said undelivered or failed ` +
        `(at least ${ALARM_RULES.smsMinimumReceipts} receipts): check the numbers and the Twilio sender.`,
    );
    this.alarm(
      'customer-sends-failed',
      this.failedSends(),
      ALARM_RULES.failedSends,
      `${ALARM_RULES.failedSends} or more customer messages were recorded failed within 15 minutes: ` +
        'check the CMOC summaries and the notification log.',
    );
    for (const { name, queue, what } of props.deadLetterQueues ?? [])
      this.watchDeadLetters(name, queue, what);
    for (const alarm of props.alarms ?? []) {
      alarm.addAlarmAction(this.action);
      this.alarms.push(alarm);
    }
    this.dashboard = this.makeDashboard();
  }

  /** A dead-letter queue's depth: anything in it is work the product gave up on. */
  private watchDeadLetters(name: string, queue: IQueue, what: string): void {
    this.alarm(
      `${name}-dead-letters`,
      queue.metricApproximateNumberOfMessagesVisible({
        period: ALARM_RULES.period,
        statistic: Stats.MAXIMUM,
      }),
      1,
      `${what} landed in ${name}'s dead-letter queue after every retry.`,
    );
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.props.namePrefix}-${id}`,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }

  /** One of the product's own metrics, with the deployment's service dimension. */
  private product(
    name: string,
    dimensions: Record<string, string> = {},
    statistic: string = Stats.SUM,
    period = ALARM_RULES.period,
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { [SERVICE_DIMENSION]: this.props.namePrefix, ...dimensions },
      statistic,
      period,
    });
  }

  private smsUndeliveredPercent(): MathExpression {
    const receipts = (status: string) =>
      this.product(METRIC.smsReceipts, { [DIMENSION.status]: status }, Stats.SUM, ALARM_RULES.smsPeriod);
    return new MathExpression({
      // Below the minimum the rate reads 0: a quiet hour never alarms.
      expression: `IF((ok + undelivered + failed) >= ${ALARM_RULES.smsMinimumReceipts}, 100 * (undelivered + failed) / (ok + undelivered + failed), 0)`,
      usingMetrics: {
        ok: receipts('delivered'),
        undelivered: receipts('undelivered'),
        failed: receipts('failed'),
      },
      label: 'SMS undelivered or failed (%)',
      period: ALARM_RULES.smsPeriod,
    });
  }

  private failedSends(): MathExpression {
    const usingMetrics = Object.fromEntries(
      SEND_CHANNELS.map((channel) => [
        channel,
        this.product(
          METRIC.customerSends,
          { [DIMENSION.channel]: channel, [DIMENSION.outcome]: 'failed' },
          Stats.SUM,
          ALARM_RULES.failedSendsPeriod,
        ),
      ]),
    );
    return new MathExpression({
      expression: SEND_CHANNELS.map((c) => `FILL(${c}, 0)`).join(' + '),
      usingMetrics,
      label: 'Customer sends failed',
      period: ALARM_RULES.failedSendsPeriod,
    });
  }

  private makeDashboard(): Dashboard {
    const hour = Duration.hours(1);
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${this.props.namePrefix}-incident-comms`,
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new TextWidget({
        markdown:
          '## Incident comms\nIncidents open, customer sends, escalations and time to first notice. ' +
          'Every alarm notifies the stack\'s alarm topic (README, "Alarms and the dashboard").',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new SingleValueWidget({
        title: 'Incidents open',
        metrics: [this.product(METRIC.incidentsOpen, {}, Stats.MAXIMUM, hour)],
        // The figure is written when an incident opens or resolves: the last one stands until the next.
        setPeriodToTimeRange: false,
        width: 6,
      }),
      new GraphWidget({
        title: 'Incidents opened and resolved',
        left: [
          this.product(METRIC.incidentsOpened, {}, Stats.SUM, hour),
          this.product(METRIC.incidentsResolved, {}, Stats.SUM, hour),
        ],
        width: 9,
      }),
      new GraphWidget({
        title: 'Time to first notice (s)',
        left: [
          this.product(METRIC.timeToFirstNotice, {}, Stats.p(50), Duration.days(1)).with({ label: 'median' }),
          this.product(METRIC.timeToFirstNotice, {}, Stats.MAXIMUM, Duration.days(1)).with({
            label: 'longest',
          }),
        ],
        width: 9,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Customer sends by channel and outcome',
        left: SEND_CHANNELS.flatMap((channel) =>
          SEND_OUTCOMES.map((outcome) =>
            this.product(
              METRIC.customerSends,
              { [DIMENSION.channel]: channel, [DIMENSION.outcome]: outcome },
              Stats.SUM,
              hour,
            ).with({ label: `${channel} ${outcome.replace(/_/g, ' ')}` }),
          ),
        ),
        stacked: true,
        width: 12,
      }),
      new GraphWidget({
        title: 'Escalations',
        left: ESCALATION_TARGETS.map((to) =>
          this.product(METRIC.escalations, { [DIMENSION.to]: to }, Stats.SUM, hour).with({
            label: `to the ${to}`,
          }),
        ),
        width: 6,
      }),
      new GraphWidget({
        title: 'SMS undelivered or failed (%)',
        left: [this.smsUndeliveredPercent()],
        width: 6,
      }),
    );
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    return dashboard;
  }
}
