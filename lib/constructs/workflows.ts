/**
 * The Standard state machines, loaded from statemachines/*.asl.json with their `${Placeholders}`
 * substituted. CDK derives no permission from an ASL string, so each machine's role is built here from
 * what its file's Tasks call (lib/asl.ts) — a Task added to a file gets its grant, or fails the synth.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STATE_MACHINES } from '../../lambdas/contract/functions.ts';
import type { MachineName } from '../access.ts';
import { parseAsl, placeholdersIn, readAslText, taskIntegrations } from '../asl.ts';
import type { TaskIntegrations } from '../asl.ts';
import { wildcardResourceFinding } from '../nag.ts';

export type { MachineName };
type MachineSpec = (typeof STATE_MACHINES)[number];

/** The managed rule Step Functions creates to learn when a `.sync` child execution ends. */
const SYNC_RULE = 'StepFunctionsGetEventsForStepFunctionsExecutionRule';

export function machineName(prefix: string, name: MachineName): string {
  return `${prefix}-${name}`;
}

/**
 * A machine's ARN from its name. Functions reference machines through this rather than the machine's
 * token: park-for-events is both invoked by the incident machine and allowed to complete its tasks, and
 * the token would make function → policy → machine → function a dependency cycle.
 */
export function machineArn(scope: Construct, prefix: string, name: MachineName): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: machineName(prefix, name),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export function executionsArn(scope: Construct, prefix: string, name: MachineName): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${machineName(prefix, name)}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export interface LoadedMachine {
  readonly spec: MachineSpec;
  readonly text: string;
  readonly integrations: TaskIntegrations;
}

/** Every STATE_MACHINES file, read and checked (taskIntegrations throws on what has no grant). */
export function loadMachines(): LoadedMachine[] {
  return STATE_MACHINES.map((spec): LoadedMachine => {
    const text = readAslText(spec.file);
    return { spec, text, integrations: taskIntegrations(parseAsl(text)) };
  });
}

/** Children before parents: a parent's definition needs the child's ARN. */
function inCreationOrder(loaded: readonly LoadedMachine[]): LoadedMachine[] {
  const bySubstitution = new Map(loaded.map((m) => [m.spec.substitution as string, m]));
  const ordered: LoadedMachine[] = [];
  const visiting = new Set<string>();
  const visit = (machine: LoadedMachine): void => {
    if (ordered.includes(machine)) return;
    if (visiting.has(machine.spec.name))
      throw new Error(`State machines start each other in a cycle at ${machine.spec.file}`);
    visiting.add(machine.spec.name);
    for (const placeholder of machine.integrations.starts.keys()) {
      const child = bySubstitution.get(placeholder);
      if (!child)
        throw new Error(`${machine.spec.file} starts \${${placeholder}}, which is no state machine`);
      visit(child);
    }
    visiting.delete(machine.spec.name);
    ordered.push(machine);
  };
  loaded.forEach(visit);
  return ordered;
}

export interface WorkflowsProps {
  readonly namePrefix: string;
  readonly logRetention: RetentionDays;
  /** Function for each FUNCTIONS[].substitution placeholder. */
  readonly functions: ReadonlyMap<string, IFunction>;
}

export class Workflows extends Construct {
  readonly machines = new Map<MachineName, StateMachine>();
  /** Failed, timed-out and aborted executions of each machine; lib/constructs/monitoring.ts notifies them. */
  readonly alarms: Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: WorkflowsProps,
  ) {
    super(scope, id);
    for (const machine of inCreationOrder(loadMachines())) this.create(machine);
  }

  private substitutionsFor({ spec, text }: LoadedMachine): Record<string, string> {
    const out: Record<string, string> = {};
    for (const placeholder of placeholdersIn(text)) {
      const fn = this.props.functions.get(placeholder);
      const child = STATE_MACHINES.find((m) => m.substitution === placeholder);
      if (fn) out[placeholder] = fn.functionArn;
      else if (child && this.machines.has(child.name))
        out[placeholder] = this.machines.get(child.name)!.stateMachineArn;
      else
        throw new Error(`${spec.file} uses \${${placeholder}}, which matches no function or state machine`);
    }
    return out;
  }

  private create(machine: LoadedMachine): void {
    const { spec } = machine;
    const { namePrefix } = this.props;
    const name = machineName(namePrefix, spec.name);
    const logs = new LogGroup(this, `${spec.name}-logs`, {
      // The vendedlogs prefix keeps Step Functions' log-delivery resource policy under its size limit.
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: this.props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const sm = new StateMachine(this, spec.name, {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(machine.text),
      definitionSubstitutions: this.substitutionsFor(machine),
      // Execution data would put incident ids, owners' answers and errors into logs; the console's
      // execution history already shows them to those allowed to see it.
      logs: { destination: logs, level: LogLevel.ERROR, includeExecutionData: false },
      // X-Ray is off throughout (docs/architecture.md, "Tracing"): the functions carry no tracer.
      tracingEnabled: false,
    });
    this.grantTasks(sm, machine);
    Validations.of(sm).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'X-Ray is off across the product (docs/architecture.md, "Tracing"): the functions carry no tracer, so ' +
        'a trace would show the state transitions the execution history already records.',
    });
    Validations.of(sm).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Logs errors only, without execution data: ALL would copy every state input and output (incident ' +
        'and owner ids, answers) into CloudWatch; the execution history keeps them for 90 days.',
    });
    Validations.of(sm.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:CreateLogDelivery and friends) supports no resource-level permissions; CDK adds ' +
        'these for the error log.',
    });
    this.machines.set(spec.name, sm);
    this.addAlarms(spec.name, sm);
  }

  private grantTasks(sm: StateMachine, { spec, integrations }: LoadedMachine): void {
    const functionArns = [...integrations.invokes].map((placeholder) => {
      const fn = this.props.functions.get(placeholder);
      if (!fn) throw new Error(`${spec.file} invokes \${${placeholder}}, which is no function`);
      return fn.functionArn;
    });
    if (functionArns.length > 0) {
      // Unqualified ARNs only: the ASL invokes $LATEST, so no `:*` for versions and aliases.
      sm.addToRolePolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functionArns }),
      );
    }
    for (const [placeholder, { sync }] of integrations.starts) {
      const child = STATE_MACHINES.find((m) => m.substitution === placeholder);
      const childMachine = child && this.machines.get(child.name);
      if (!child || !childMachine) throw new Error(`${spec.file} starts \${${placeholder}}, not created yet`);
      sm.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:StartExecution'],
          resources: [childMachine.stateMachineArn],
        }),
      );
      if (!sync) continue;
      const executions = executionsArn(this, this.props.namePrefix, child.name);
      sm.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [executions],
        }),
      );
      sm.addToRolePolicy(
        new PolicyStatement({
          actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          resources: [
            Stack.of(this).formatArn({ service: 'events', resource: 'rule', resourceName: SYNC_RULE }),
          ],
        }),
      );
      Validations.of(sm.role).acknowledge({
        id: wildcardResourceFinding(this, executions),
        reason:
          'A .sync child execution is watched by its execution ARN, which exists only once started; the ' +
          'wildcard covers executions of that one child state machine.',
      });
    }
    if (integrations.distributedMaps.length > 0) this.grantDistributedMap(sm, spec);
  }

  /**
   * A Distributed Map runs each iteration as a child execution of the machine itself (AWS: "IAM policies
   * for using Distributed Map states"). Named by ARN strings: the machine's own token in its own role's
   * policy would make the machine depend on itself.
   */
  private grantDistributedMap(sm: StateMachine, spec: MachineSpec): void {
    const { namePrefix } = this.props;
    sm.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [machineArn(this, namePrefix, spec.name)],
      }),
    );
    const executions = executionsArn(this, namePrefix, spec.name);
    sm.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [executions],
      }),
    );
    Validations.of(sm.role).acknowledge({
      id: wildcardResourceFinding(this, executions),
      reason:
        `The Distributed Map in ${spec.file} starts one child execution per batch and watches and stops ` +
        "them by execution ARN, which exists only once started; the wildcard is this machine's executions.",
    });
  }

  private addAlarms(name: MachineName, sm: StateMachine): void {
    const period = { period: Duration.minutes(5), statistic: Stats.SUM };
    const metrics: [string, Metric][] = [
      ['failed', sm.metricFailed(period)],
      ['timed-out', sm.metricTimedOut(period)],
      ['aborted', sm.metricAborted(period)],
    ];
    for (const [kind, metric] of metrics) {
      const alarm = new Alarm(this, `${name}-executions-${kind}`, {
        alarmName: `${machineName(this.props.namePrefix, name)}-executions-${kind}`,
        alarmDescription: `An execution of ${name} ${kind.replace('-', ' ')}: customers may not have been updated. Check the execution history and the CMOC channel.`,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(alarm);
    }
  }
}
