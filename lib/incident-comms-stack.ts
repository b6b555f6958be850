/**
 * The whole product in one stack: table, secrets, one function per FUNCTIONS entry, the state machines
 * from statemachines/, the HTTP API, alarms. The constructs hold the details; this file wires them.
 */
import { Annotations, CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { FUNCTIONS } from '../lambdas/contract/functions.ts';
import type { FunctionName } from '../lambdas/contract/functions.ts';
import { ACCESS } from './access.ts';
import type { FunctionAccess } from './access.ts';
import type { SecretGroup } from '../lambdas/contract/functions.ts';
import { SES_FROM_PLACEHOLDER } from './config.ts';
import type { AppConfig } from './config.ts';
import { DataTable } from './constructs/data-table.ts';
import { FollowUps } from './constructs/follow-ups.ts';
import { accessEnvironment, grantAccess } from './constructs/function-access.ts';
import type { AccessContext } from './constructs/function-access.ts';
import { ProductApi } from './constructs/http-api.ts';
import type { ApiRoute } from './constructs/http-api.ts';
import { ProductFunction } from './constructs/product-function.ts';
import { ProductSecrets } from './constructs/product-secrets.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { RESERVED_CONCURRENCY } from './concurrency.ts';
import { Workflows } from './constructs/workflows.ts';

export interface IncidentCommsStackProps extends StackProps {
  readonly config: AppConfig;
}

export class IncidentCommsStack extends Stack {
  readonly functions = new Map<FunctionName, ProductFunction>();
  readonly workflows: Workflows;
  readonly api: ProductApi;
  /** Alarms on every function, the API, the dead letters and the product's metrics; the dashboard. */
  readonly monitoring: Monitoring;
  /** Every alarm notifies this topic, in every deploy. */
  readonly alarmTopic: Topic;
  /** The front doors' asynchronous follow-ups: self-invoke grants, retries, the dead-letter queue. */
  readonly followUps: FollowUps;

  constructor(scope: Construct, id: string, props: IncidentCommsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = config.stackName;

    const data = new DataTable(this, 'Data');
    const secrets = new ProductSecrets(this, 'Secrets', { namePrefix: prefix });
    const ctx: AccessContext = {
      scope: this,
      config,
      data,
      secrets,
    };
    if (config.sesFromAddress === SES_FROM_PLACEHOLDER) {
      Annotations.of(this).addWarningV2(
        'incident-comms:sesFromAddress',
        `Customer email would go from ${SES_FROM_PLACEHOLDER}, which SES refuses: before deploying, set ` +
          '-c sesFromAddress=<address> (or SES_FROM_ADDRESS) to an address on a domain verified in SES.',
      );
    }

    for (const spec of FUNCTIONS) {
      const access: FunctionAccess = ACCESS[spec.name];
      const fn = new ProductFunction(this, spec.name, {
        spec,
        namePrefix: prefix,
        logRetention: config.logRetention,
        ...(config.reservedConcurrency && RESERVED_CONCURRENCY[spec.name] !== undefined
          ? { reservedConcurrency: RESERVED_CONCURRENCY[spec.name] }
          : {}),
        environment: {
          TABLE_NAME: data.table.tableName,
          POWERTOOLS_SERVICE_NAME: prefix,
          ...accessEnvironment(access, ctx),
        },
      });
      this.functions.set(spec.name, fn);
      grantAccess(fn, access, ctx);
    }

    this.followUps = new FollowUps(this, 'FollowUps', {
      namePrefix: prefix,
      functions: FUNCTIONS.flatMap((spec) =>
        'followUp' in spec ? [{ spec, fn: this.product(spec.name) }] : [],
      ),
    });

    const bySubstitution = new Map<string, IFunction>();
    for (const spec of FUNCTIONS) {
      if ('substitution' in spec) bySubstitution.set(spec.substitution, this.fn(spec.name));
    }

    // Always there, so every alarm has an action in every deploy; the email is one optional subscriber.
    // No KMS key: alarm notifications carry alarm names and states only, and CloudWatch cannot publish
    // to a topic under the AWS-managed SNS key.
    this.alarmTopic = new Topic(this, 'Alarms', { displayName: `${prefix} alarms`, enforceSSL: true });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));

    this.workflows = new Workflows(this, 'Workflows', {
      namePrefix: prefix,
      logRetention: config.logRetention,
      functions: bySubstitution,
    });

    const routes: ApiRoute[] = FUNCTIONS.flatMap((spec) =>
      'routes' in spec
        ? spec.routes.map((routeKey) => ({ routeKey, name: spec.name, handler: this.fn(spec.name) }))
        : [],
    );
    this.api = new ProductApi(this, 'Http', { name: prefix, routes, logRetention: config.logRetention });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      namePrefix: prefix,
      topic: this.alarmTopic,
      functions: FUNCTIONS.map((spec) => ({ name: spec.name, function: this.fn(spec.name) })),
      apiId: this.api.api.apiId,
      deadLetterQueues: [
        {
          name: 'follow-ups',
          queue: this.followUps.deadLetterQueue,
          what: "A front door's follow-up (the work after a PagerDuty, Slack or /comms acknowledgement)",
        },
      ],
      alarms: this.workflows.alarms,
    });

    this.outputs(data, secrets);
  }

  private fn(dir: FunctionName): IFunction {
    return this.product(dir).function;
  }

  private product(dir: FunctionName): ProductFunction {
    const made = this.functions.get(dir);
    if (!made) throw new Error(`Function ${dir} was not created`);
    return made;
  }

  private outputs(data: DataTable, secrets: ProductSecrets): void {
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'PagerDutyWebhookUrl', {
      value: `${this.api.url}webhooks/pagerduty`,
      description: 'PagerDuty v3 webhook subscription URL',
    });
    new CfnOutput(this, 'SlackInteractionsUrl', {
      value: `${this.api.url}slack/interactions`,
      description: 'Slack app: Interactivity request URL',
    });
    new CfnOutput(this, 'SlackCommandsUrl', {
      value: `${this.api.url}slack/commands`,
      description: 'Slack app: /comms slash command request URL',
    });
    new CfnOutput(this, 'SlackEventsUrl', {
      value: `${this.api.url}slack/events`,
      description: 'Slack app: Event Subscriptions request URL (App Home)',
    });
    new CfnOutput(this, 'TwilioStatusCallbackUrl', {
      value: `${this.api.url}webhooks/twilio/status`,
      description: 'SMS delivery receipts: deploy again with -c twilioStatusCallbackUrl=<this value>',
    });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Every alarm notifies this topic: subscribe a pager or chat integration to it',
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    const incident = this.workflows.machines.get('incident');
    if (incident) new CfnOutput(this, 'IncidentStateMachineArn', { value: incident.stateMachineArn });
    const labels: Record<SecretGroup, string> = { SLACK: 'Slack', PAGERDUTY: 'PagerDuty', TWILIO: 'Twilio' };
    for (const [group, label] of Object.entries(labels) as [SecretGroup, string][]) {
      const secret = secrets.secrets[group];
      new CfnOutput(this, `${label}SecretArn`, {
        value: secret.secretArn,
        description: `Fill in: ${label} secret`,
      });
      new CfnOutput(this, `${label}SecretName`, { value: secret.secretName });
    }
  }
}
