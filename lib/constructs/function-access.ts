/**
 * One ACCESS entry (lib/access.ts) in CDK terms: the environment a function gets and the statements on
 * its role. Machines are named by ARN strings built from their names (machineArn), never by their
 * tokens: some of these functions are also invoked by those machines, and a token would close a
 * function → role policy → machine → function dependency cycle.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { FunctionAccess, MachineName } from '../access.ts';
import type { AppConfig } from '../config.ts';
import { EMAIL_VARIABLES, TWILIO_VARIABLES, machineArnVariable } from '../function-env.ts';
import { wildcardResourceFinding } from '../nag.ts';
import type { DataTable } from './data-table.ts';
import type { ProductFunction } from './product-function.ts';
import type { ProductSecrets } from './product-secrets.ts';
import { executionsArn, machineArn } from './workflows.ts';

const TASK_RESPONSE_ACTIONS = [
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
];

export interface AccessContext {
  readonly scope: Construct;
  readonly config: AppConfig;
  readonly data: DataTable;
  readonly secrets: ProductSecrets;
  /** Machines with a `.waitForTaskToken` Task: the only ones whose tokens a function can complete. */
  readonly tokenIssuers: readonly MachineName[];
}

/** Variables for what the entry lists; the stack adds the common ones. */
export function accessEnvironment(access: FunctionAccess, ctx: AccessContext): Record<string, string> {
  const prefix = ctx.config.stackName;
  const env: Record<string, string> = {};
  for (const group of access.secrets) env[`${group}_SECRET_ARN`] = ctx.secrets.secrets[group].secretArn;
  for (const machine of access.startsMachines ?? []) {
    env[machineArnVariable(machine)] = machineArn(ctx.scope, prefix, machine);
  }
  if (access.secrets.includes('TWILIO') && ctx.config.twilioStatusCallbackUrl)
    env[TWILIO_VARIABLES.statusCallbackUrl] = ctx.config.twilioStatusCallbackUrl;
  if (access.sendsEmail) {
    env[EMAIL_VARIABLES.from] = ctx.config.sesFromAddress;
    if (ctx.config.sesConfigurationSet)
      env[EMAIL_VARIABLES.configurationSet] = ctx.config.sesConfigurationSet;
  }
  return env;
}

export function grantAccess(fn: ProductFunction, access: FunctionAccess, ctx: AccessContext): void {
  const { role } = fn;
  const prefix = ctx.config.stackName;
  if (access.table === 'readWrite') ctx.data.grantReadWrite(role);
  else ctx.data.grantRead(role);
  for (const group of access.secrets) ctx.secrets.grantRead(group, role);

  const starts = access.startsMachines ?? [];
  if (starts.length > 0) {
    // StartExecution only: starts are named and idempotent, so nothing needs to look an execution up.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: starts.map((m) => machineArn(ctx.scope, prefix, m)),
      }),
    );
  }
  for (const machine of access.describesExecutions ?? []) grantDescribeExecutions(fn, machine, ctx);
  if (access.completesTasks && ctx.tokenIssuers.length > 0) {
    // Task tokens carry no ARN; IAM checks them against the machine that issued them.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: TASK_RESPONSE_ACTIONS,
        resources: ctx.tokenIssuers.map((m) => machineArn(ctx.scope, prefix, m)),
      }),
    );
  }
  if (access.sendsEmail) grantSendEmail(fn, ctx);
}

/** Execution names are per incident, so the grant covers every execution of the machine and no more. */
function grantDescribeExecutions(fn: ProductFunction, machine: MachineName, ctx: AccessContext): void {
  const executions = executionsArn(ctx.scope, ctx.config.stackName, machine);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
  );
  Validations.of(fn.role).acknowledge({
    id: wildcardResourceFinding(ctx.scope, executions),
    reason: 'Execution names are per incident and not known at deploy; DescribeExecution only, one machine.',
  });
}

function grantSendEmail(fn: ProductFunction, ctx: AccessContext): void {
  const stack = Stack.of(ctx.scope);
  const identities = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
  const resources = [identities];
  // With a configuration set named on the request, SES authorizes the call against it as well.
  if (ctx.config.sesConfigurationSet) {
    resources.push(
      stack.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: ctx.config.sesConfigurationSet,
      }),
    );
  }
  // SendEmail only: the handlers never build raw MIME messages.
  fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources }));
  Validations.of(fn.role).acknowledge({
    id: wildcardResourceFinding(ctx.scope, identities),
    reason:
      'The sending domain is verified in SES after deploy and, in the SES sandbox, recipients are ' +
      'identities too; limited to this account and region.',
  });
}
