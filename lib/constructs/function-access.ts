/**
 * One ACCESS entry (lib/access.ts) in CDK terms: the environment a function gets and the statements on
 * its role. The actions are what the function's code calls (lib/code-calls.ts), within what its entry
 * allows; an entry that allows a call the code never makes fails the synth, so no grant outlives its use.
 *
 * Machines are named by ARN strings built from their names (machineArn), never by their tokens: some of
 * these functions are also invoked by those machines, and a token would close a function → role policy →
 * machine → function dependency cycle.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { FUNCTIONS } from '../../lambdas/contract/functions.ts';
import type { FunctionSpec } from '../../lambdas/contract/functions.ts';
import { TOKEN_ISSUERS } from '../access.ts';
import type { FunctionAccess, MachineName, TokenKind } from '../access.ts';
import { awsCallsOf } from '../code-calls.ts';
import type { AppConfig } from '../config.ts';
import { EMAIL_VARIABLES, TWILIO_VARIABLES, machineArnVariable } from '../function-env.ts';
import { wildcardResourceFinding } from '../nag.ts';
import type { DataTable } from './data-table.ts';
import type { ProductFunction } from './product-function.ts';
import type { ProductSecrets } from './product-secrets.ts';
import { executionsArn, loadMachines, machineArn } from './workflows.ts';

export interface AccessContext {
  readonly scope: Construct;
  readonly config: AppConfig;
  readonly data: DataTable;
  readonly secrets: ProductSecrets;
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

const READS = new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan']);

/**
 * The machines whose tokens of this kind exist: those with a callback task invoking one of the kind's
 * issuers. Read from the ASL files, so a callback added there reaches the grant by itself.
 */
export function machinesIssuing(kind: TokenKind): MachineName[] {
  const substitutions = new Set<string>(
    FUNCTIONS.filter((f) => (TOKEN_ISSUERS[kind] as readonly string[]).includes(f.name)).flatMap((f) =>
      'substitution' in f ? [f.substitution] : [],
    ),
  );
  return loadMachines()
    .filter((m) => [...m.integrations.tokenTasks].some((s) => substitutions.has(s)))
    .map((m) => m.spec.name);
}

/** What the code calls, per Step Functions or SES action, must be what the entry lists, and the reverse. */
function checkListed(spec: FunctionSpec, access: FunctionAccess, calls: ReadonlySet<string>): void {
  const listed: [string, boolean][] = [
    ['states:StartExecution', (access.startsMachines ?? []).length > 0],
    ['states:DescribeExecution', (access.describesExecutions ?? []).length > 0],
    ['states:SendTaskSuccess', (access.completesTasks ?? []).length > 0],
    ['ses:SendEmail', access.sendsEmail === true],
  ];
  for (const [action, allowed] of listed) {
    if (allowed && !calls.has(action)) {
      throw new Error(
        `lib/access.ts lets ${spec.name} use ${action}, which its code (lambdas/${spec.handler}) never calls`,
      );
    }
  }
}

export function grantAccess(fn: ProductFunction, access: FunctionAccess, ctx: AccessContext): void {
  const { role } = fn;
  const prefix = ctx.config.stackName;
  const calls = awsCallsOf(fn.spec.handler);
  checkListed(fn.spec, access, calls);

  const tableActions = [...calls].filter(
    (a) => a.startsWith('dynamodb:') && (access.table === 'readWrite' || READS.has(a)),
  );
  ctx.data.grant(role, tableActions);
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
  const kinds = access.completesTasks ?? [];
  const issuing = [...new Set(kinds.flatMap(machinesIssuing))].sort();
  if (issuing.length > 0) {
    // Task tokens carry no ARN; IAM checks them against the machine that issued them. SendTaskSuccess
    // only: nothing here fails a task or keeps one alive by heartbeat.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        resources: issuing.map((m) => machineArn(ctx.scope, prefix, m)),
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
