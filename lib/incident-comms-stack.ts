/**
 * The whole product in one stack: table, secrets, one function per FUNCTIONS entry, the state machines
 * from statemachines/, the HTTP API, alarms. The constructs hold the details; this file wires them.
 */
import { CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { FUNCTIONS, STATE_MACHINES } from '../lambdas/functions.ts';
import type { FunctionDir } from '../lambdas/functions.ts';
import { ACCESS } from './access.ts';
import type { SecretGroup } from './access.ts';
import type { AppConfig } from './config.ts';
import { DataTable } from './constructs/data-table.ts';
import { ProductApi } from './constructs/http-api.ts';
import type { ApiRoute } from './constructs/http-api.ts';
import { ProductFunction } from './constructs/product-function.ts';
import { ProductSecrets } from './constructs/product-secrets.ts';
import { Workflows, executionsArn, machineArn } from './constructs/workflows.ts';
import { wildcardResourceFinding } from './nag.ts';

export interface IncidentCommsStackProps extends StackProps {
  readonly config: AppConfig;
}

const TASK_RESPONSE_ACTIONS = [
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
];

export class IncidentCommsStack extends Stack {
  readonly functions = new Map<FunctionDir, ProductFunction>();
  readonly workflows: Workflows;
  readonly api: ProductApi;

  constructor(scope: Construct, id: string, props: IncidentCommsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = config.stackName;

    const data = new DataTable(this, 'Data');
    const secrets = new ProductSecrets(this, 'Secrets', { namePrefix: prefix });
    const incidentArn = machineArn(this, prefix, 'incident');
    const allMachineArns = STATE_MACHINES.map((m) => machineArn(this, prefix, m.name));

    for (const spec of FUNCTIONS) {
      const access = ACCESS[spec.dir];
      const environment: Record<string, string> = {
        TABLE_NAME: data.table.tableName,
        POWERTOOLS_SERVICE_NAME: prefix,
        COMPANY_NAME: config.companyName,
      };
      if ('routes' in spec) environment.STATE_MACHINE_ARN = incidentArn;
      for (const group of access.secrets)
        environment[`${group}_SECRET_ARN`] = secrets.secrets[group].secretArn;

      const fn = new ProductFunction(this, spec.dir, {
        spec,
        namePrefix: prefix,
        logRetention: config.logRetention,
        environment,
      });
      this.functions.set(spec.dir, fn);

      if (access.table === 'readWrite') data.grantReadWrite(fn.role);
      else data.grantRead(fn.role);
      for (const group of access.secrets) secrets.grantRead(group, fn.role);
      if ('startsIncidents' in access) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['states:StartExecution'], resources: [incidentArn] }),
        );
        const executions = executionsArn(this, prefix, 'incident');
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
        );
        Validations.of(fn.role).acknowledge({
          id: wildcardResourceFinding(this, executions),
          reason:
            "Looks up incident executions it started by name; the wildcard is that one state machine's executions.",
        });
      }
      if ('completesTasks' in access) {
        // Task tokens carry no ARN; IAM checks them against the machine that issued them.
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: TASK_RESPONSE_ACTIONS, resources: allMachineArns }),
        );
      }
      if ('sendsEmail' in access) {
        const identities = this.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identities] }),
        );
        Validations.of(fn.role).acknowledge({
          id: wildcardResourceFinding(this, identities),
          reason:
            'The sending domain is verified in SES after deploy and, in the SES sandbox, recipients are ' +
            'identities too; limited to this account and region.',
        });
      }
    }

    const bySubstitution = new Map<string, IFunction>();
    for (const spec of FUNCTIONS) {
      if ('substitution' in spec) bySubstitution.set(spec.substitution, this.fn(spec.dir));
    }

    let alarmTopic: Topic | undefined;
    if (config.alarmEmail) {
      // No KMS key: alarm notifications carry alarm names and states only, and CloudWatch cannot publish
      // to a topic under the AWS-managed SNS key.
      alarmTopic = new Topic(this, 'Alarms', { displayName: `${prefix} alarms`, enforceSSL: true });
      alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    }

    this.workflows = new Workflows(this, 'Workflows', {
      namePrefix: prefix,
      logRetention: config.logRetention,
      functions: bySubstitution,
      ...(alarmTopic ? { alarmTopic } : {}),
    });

    const routes: ApiRoute[] = FUNCTIONS.flatMap((spec) =>
      'routes' in spec
        ? spec.routes.map((routeKey) => ({ routeKey, name: spec.dir, handler: this.fn(spec.dir) }))
        : [],
    );
    this.api = new ProductApi(this, 'Http', { name: prefix, routes, logRetention: config.logRetention });

    this.outputs(data, secrets);
  }

  private fn(dir: FunctionDir): IFunction {
    const made = this.functions.get(dir);
    if (!made) throw new Error(`Function ${dir} was not created`);
    return made.function;
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
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
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
