import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ACCESS, TOKEN_ISSUERS } from '../../lib/access.ts';
import { awsCallsOf } from '../../lib/code-calls.ts';
import type { FunctionAccess } from '../../lib/access.ts';
import { placeholdersIn, readAslText } from '../../lib/asl.ts';
import { machineArnVariable } from '../../lib/function-env.ts';
import { SIGNED_ROUTES, THROTTLE } from '../../lib/constructs/http-api.ts';
import { FUNCTIONS, STATE_MACHINES, functionName } from '../../lambdas/contract/functions.ts';
import { TEST_CONFIG } from './synth.ts';
import { aslFacts } from './asl-facts.ts';
import {
  actionsOf,
  synthesizedOnce,
  flat,
  functionsByName,
  resource,
  resources,
  resourcesGranted,
  roleOf,
  stateMachinesByName,
  statementsOfRole,
  targetOf,
} from './template-helpers.ts';

const PREFIX = TEST_CONFIG.stackName;
// One synthesis shared by every test in this file; the bundles are read in function-env.test.ts.
const { template, fnId, statementsOf: fnStatements } = synthesizedOnce();
/** The machine (without the stack prefix) a state machine ARN or `Ref` names. */
const machineNameOf = (arn: unknown): string => {
  const target = targetOf(arn);
  if (target) {
    const name = [...stateMachinesByName(template())].find(([, id]) => id === target)?.[0];
    if (name) return name.slice(PREFIX.length + 1);
  }
  const match = new RegExp(`:stateMachine:${PREFIX}-([\\w-]+)$`).exec(flat(arn));
  if (!match?.[1]) throw new Error(`Not a state machine ARN of this stack: ${flat(arn)}`);
  return match[1];
};
/** The machine whose executions an `execution:<machine>:*` ARN covers. */
const executionsOf = (arn: unknown): string => {
  const match = new RegExp(`:execution:${PREFIX}-([\\w-]+):\\*$`).exec(flat(arn));
  if (!match?.[1]) throw new Error(`Not the executions of one machine: ${flat(arn)}`);
  return match[1];
};
const machineId = (name: string): string => {
  const id = stateMachinesByName(template()).get(`${PREFIX}-${name}`);
  if (!id) throw new Error(`No state machine ${PREFIX}-${name}`);
  return id;
};

describe('HTTP API', () => {
  const routes = FUNCTIONS.flatMap((f) => ('routes' in f ? f.routes.map((r) => [r, f.name] as const) : []));

  it.each(routes)('%s reaches %s', (routeKey, dir) => {
    const [, route] = resources(template(), 'AWS::ApiGatewayV2::Route').find(
      ([, r]) => r.Properties?.RouteKey === routeKey,
    ) ?? [undefined, undefined];
    expect(route, `route ${routeKey}`).toBeDefined();
    const integrationId = flat(route!.Properties?.Target).replace(/^integrations\/<(.*)>$/, '$1');
    const integration = resource(template(), integrationId);
    expect(targetOf(integration.Properties?.IntegrationUri)).toBe(fnId(dir));
    const expectedAuth = routeKey.split(' ')[1]!.startsWith('/api/') ? 'AWS_IAM' : 'NONE';
    expect(route!.Properties?.AuthorizationType).toBe(expectedAuth);
    if (expectedAuth === 'NONE') expect(SIGNED_ROUTES[routeKey]).toBeDefined();
  });

  it('has no route that FUNCTIONS does not list', () => {
    template().resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
  });

  it('logs access on the default stage and throttles it', () => {
    template().hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      }),
      DefaultRouteSettings: {
        ThrottlingRateLimit: THROTTLE.rateLimit,
        ThrottlingBurstLimit: THROTTLE.burstLimit,
      },
    });
  });
});

describe('functions', () => {
  it('makes exactly one function per FUNCTIONS entry', () => {
    template().resourceCountIs('AWS::Lambda::Function', FUNCTIONS.length);
  });

  // Running executions hold these functions' ARNs, and the construct ids (so the logical ids) follow the
  // names: renaming a deployed function strands every incident in flight. Code moves by `handler` alone.
  it('keeps the deployed names running executions hold, wherever the handlers live', () => {
    expect(FUNCTIONS.map((f) => f.name)).toEqual([
      'pagerduty-webhook',
      'slack-interactions',
      'slack-commands',
      'slack-events',
      'twilio-status',
      'read-api',
      'load-incident',
      'draft-update',
      'ask-owner',
      'deliver-update',
      'park-for-events',
      'notify-cmoc',
      'ask-cmoc',
      'ask-try-again',
      'tell-owners',
      'hand-over',
      'plan-broadcast',
      'send-broadcast-batch',
      'finish-broadcast',
    ]);
    for (const f of FUNCTIONS) {
      expect(functionsByName(template()).has(functionName(PREFIX, f.name)), f.name).toBe(true);
      expect(f.handler, f.name).toMatch(/^handlers\/(http|steps)\/[a-z-]+$/);
    }
  });

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s has the product defaults', (dir, spec) => {
    template().hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: functionName(PREFIX, dir),
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      // X-Ray off (docs/architecture.md, "Tracing").
      TracingConfig: Match.absent(),
      Handler: 'index.handler',
      Timeout: spec.timeoutSeconds,
      MemorySize: spec.memoryMb,
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: PREFIX,
          TABLE_NAME: Match.anyValue(),
        }),
      },
    });
    const fn = resource(template(), fnId(dir));
    const logGroup = resource(
      template(),
      targetOf((fn.Properties?.LoggingConfig as { LogGroup: unknown }).LogGroup)!,
    );
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties?.RetentionInDays).toBe(Number(TEST_CONFIG.logRetentionDays));
  });

  it.each(FUNCTIONS.map((f) => [f.name] as const))(
    '%s gets exactly the secrets and table access it is listed for',
    (dir) => {
      const access = ACCESS[dir];
      const env = (
        resource(template(), fnId(dir)).Properties?.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      const secretVars = Object.keys(env)
        .filter((k) => k.endsWith('_SECRET_ARN'))
        .sort();
      expect(secretVars).toEqual(access.secrets.map((g) => `${g}_SECRET_ARN`).sort());

      const statements = fnStatements(dir);
      const readable = resourcesGranted(statements, 'secretsmanager:GetSecretValue').map(targetOf).sort();
      expect(readable).toEqual(access.secrets.map((g) => targetOf(env[`${g}_SECRET_ARN`])).sort());

      expect(statements.flatMap(actionsOf)).not.toContain('secretsmanager:DescribeSecret');

      // The table actions are those its code calls, never a write for a reader, nothing nobody calls.
      const spec = FUNCTIONS.find((f) => f.name === dir)!;
      const called = [...awsCallsOf(spec.handler)].filter((a) => a.startsWith('dynamodb:'));
      const granted = statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:'));
      const reads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
      expect(new Set(granted)).toEqual(
        new Set(access.table === 'readWrite' ? called : called.filter((a) => reads.includes(a))),
      );
      for (const unused of ['dynamodb:Scan', 'dynamodb:ConditionCheckItem'])
        expect(granted).not.toContain(unused);
      expect(granted).toContain('dynamodb:Query');
      // Query alone reaches the index.
      for (const statement of statements) {
        const onIndex = [statement.Resource].flat().some((r) => flat(r).includes('/index/'));
        if (onIndex) expect(actionsOf(statement)).toEqual(['dynamodb:Query']);
      }
    },
  );

  it('deletes items only where the code does: the dedup records of the front doors', () => {
    const deleters = FUNCTIONS.filter((f) =>
      fnStatements(f.name).flatMap(actionsOf).includes('dynamodb:DeleteItem'),
    );
    expect(deleters.map((f) => f.name).sort()).toEqual(
      FUNCTIONS.filter((f) => awsCallsOf(f.handler).has('dynamodb:DeleteItem'))
        .map((f) => f.name)
        .sort(),
    );
    expect(deleters.every((f) => 'routes' in f)).toBe(true);
  });

  it.each(FUNCTIONS.map((f) => [f.name] as const))(
    '%s may start and complete executions only if listed',
    (dir) => {
      const access: FunctionAccess = ACCESS[dir];
      const statements = fnStatements(dir);
      const started = resourcesGranted(statements, 'states:StartExecution').map(machineNameOf);
      expect(new Set(started)).toEqual(new Set(access.startsMachines ?? []));
      // Machines whose callback tasks invoke an issuer of the kinds it completes, read from the files
      // rather than from lib/asl.ts; SendTaskSuccess only.
      const issuers = new Set<string>(
        (access.completesTasks ?? []).flatMap((kind) =>
          FUNCTIONS.filter((f) => (TOKEN_ISSUERS[kind] as readonly string[]).includes(f.name)).map((f) =>
            'substitution' in f ? f.substitution : '',
          ),
        ),
      );
      const tokenMachines = STATE_MACHINES.filter((m) =>
        [...aslFacts(m.file).tokenTaskFunctions].some((p) => issuers.has(p)),
      ).map((m) => m.name);
      expect(tokenMachines.length > 0).toBe((access.completesTasks ?? []).length > 0);
      const completes = resourcesGranted(statements, 'states:SendTaskSuccess').map(machineNameOf);
      expect(new Set(completes)).toEqual(new Set(tokenMachines));
      for (const action of ['states:SendTaskFailure', 'states:SendTaskHeartbeat'])
        expect(statements.flatMap(actionsOf), action).not.toContain(action);
      // DescribeExecution on every execution of the listed machines, and nothing else.
      const described = resourcesGranted(statements, 'states:DescribeExecution').map((arn) => {
        const match = new RegExp(`:execution:${PREFIX}-([\\w-]+):\\*$`).exec(flat(arn));
        if (!match?.[1]) throw new Error(`Not the executions of a state machine of this stack: ${flat(arn)}`);
        return match[1];
      });
      expect(new Set(described)).toEqual(new Set(access.describesExecutions ?? []));
      const stepFunctionsActions = new Set(
        statements.flatMap(actionsOf).filter((a) => a.startsWith('states:')),
      );
      for (const action of stepFunctionsActions)
        expect([
          'states:StartExecution',
          ...(access.describesExecutions ? ['states:DescribeExecution'] : []),
          'states:SendTaskSuccess',
        ]).toContain(action);
    },
  );

  it.each(FUNCTIONS.map((f) => [f.name] as const))(
    '%s is given the ARN of each machine it starts, and of no other',
    (dir) => {
      const access: FunctionAccess = ACCESS[dir];
      const env = (
        resource(template(), fnId(dir)).Properties?.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      const given = Object.keys(env).filter((k) => k.endsWith('STATE_MACHINE_ARN'));
      const starts = access.startsMachines ?? [];
      expect(new Set(given)).toEqual(new Set(starts.map(machineArnVariable)));
      for (const machine of starts)
        expect(machineNameOf(env[machineArnVariable(machine)]), machineArnVariable(machine)).toBe(machine);
    },
  );

  it('lets only email senders use SES: SendEmail on identities and the configured set', () => {
    for (const spec of FUNCTIONS) {
      const access: FunctionAccess = ACCESS[spec.name];
      const statements = fnStatements(spec.name);
      const sesActions = statements.flatMap(actionsOf).filter((a) => a.startsWith('ses:'));
      if (!access.sendsEmail) {
        expect(sesActions, spec.name).toEqual([]);
        continue;
      }
      expect(new Set(sesActions), spec.name).toEqual(new Set(['ses:SendEmail']));
      expect(resourcesGranted(statements, 'ses:SendEmail').map(flat).sort()).toEqual([
        expect.stringMatching(new RegExp(`:configuration-set/${TEST_CONFIG.sesConfigurationSet}$`)),
        expect.stringMatching(/:identity\/\*$/),
      ]);
      const env = (
        resource(template(), fnId(spec.name)).Properties?.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(env).toMatchObject({
        SES_FROM_ADDRESS: TEST_CONFIG.sesFromAddress,
        SES_CONFIGURATION_SET: TEST_CONFIG.sesConfigurationSet,
      });
    }
  });
});

describe('state machines', () => {
  it.each(STATE_MACHINES.map((m) => [m.name, m] as const))(
    '%s is STANDARD, untraced, logs errors only',
    (name) => {
      template().hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `${PREFIX}-${name}`,
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: false },
        LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
      });
      const logging = resource(template(), machineId(name)).Properties?.LoggingConfiguration as {
        Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[];
      };
      const logGroup = resource(
        template(),
        targetOf(logging.Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn)!,
      );
      expect(logGroup.Properties?.LogGroupName).toBe(`/aws/vendedlogs/states/${PREFIX}-${name}`);
    },
  );

  it.each(STATE_MACHINES.map((m) => [m.file, m] as const))(
    '%s: every placeholder is substituted, every substitution used',
    (file, m) => {
      const substitutions = resource(template(), machineId(m.name)).Properties
        ?.DefinitionSubstitutions as Record<string, unknown>;
      expect(Object.keys(substitutions ?? {}).sort()).toEqual([...placeholdersIn(readAslText(file))].sort());
      for (const [placeholder, value] of Object.entries(substitutions ?? {})) {
        const fnSpec = FUNCTIONS.find((f) => 'substitution' in f && f.substitution === placeholder);
        const machine = STATE_MACHINES.find((s) => s.substitution === placeholder);
        const expected = fnSpec ? fnId(fnSpec.name) : machineId(machine!.name);
        expect(targetOf(value), placeholder).toBe(expected);
      }
    },
  );

  it.each(STATE_MACHINES.map((m) => [m.file, m] as const))(
    '%s: its role invokes exactly the functions its file names',
    (file, m) => {
      // Read from the file independently of lib/asl.ts: every "FunctionName": "${…}" in it.
      const named = [...readAslText(file).matchAll(/"FunctionName"\s*:\s*"\$\{(\w+)\}"/g)].map((x) => x[1]);
      const expected = [...new Set(named)]
        .map((p) => FUNCTIONS.find((f) => 'substitution' in f && f.substitution === p)!.name)
        .map(fnId)
        .sort();
      const statements = statementsOfRole(template(), roleOf(template(), machineId(m.name)));
      const invokable = resourcesGranted(statements, 'lambda:InvokeFunction').map(
        (r) => targetOf(r) ?? flat(r),
      );
      expect(invokable.sort()).toEqual(expected);
    },
  );

  it.each(STATE_MACHINES.map((m) => [m.file, m] as const))(
    '%s: its role starts, watches and stops exactly the executions its file starts',
    (file, m) => {
      // Read from the file independently of lib/asl.ts; a Distributed Map starts the machine itself.
      const facts = aslFacts(file);
      const byPlaceholder = (p: string) => STATE_MACHINES.find((s) => s.substitution === p)!.name;
      const self = facts.distributed ? [m.name] : [];
      const started = [...facts.starts.keys()].map(byPlaceholder);
      const watched = [...facts.starts].filter(([, sync]) => sync).map(([p]) => byPlaceholder(p));

      const statements = statementsOfRole(template(), roleOf(template(), machineId(m.name)));
      expect(new Set(resourcesGranted(statements, 'states:StartExecution').map(machineNameOf))).toEqual(
        new Set([...started, ...self]),
      );
      for (const action of ['states:DescribeExecution', 'states:StopExecution']) {
        expect(new Set(resourcesGranted(statements, action).map(executionsOf)), action).toEqual(
          new Set([...watched, ...self]),
        );
      }
      // .sync children report their end through the one managed EventBridge rule.
      for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
        expect(resourcesGranted(statements, action).map(flat), action).toEqual(
          watched.length > 0
            ? [expect.stringMatching(/:rule\/StepFunctionsGetEventsForStepFunctionsExecutionRule$/)]
            : [],
        );
      }
    },
  );

  it('has the machines the files describe: update rounds run as .sync children, broadcasts fan out', () => {
    // Guards the generic test above against an ASL reader that finds nothing.
    expect([...aslFacts('incident.asl.json').starts]).toContainEqual(['UpdateRoundStateMachineArn', true]);
    expect(aslFacts('broadcast.asl.json').distributed).toBe(true);
  });

  it.each(
    STATE_MACHINES.flatMap((m) =>
      ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map(
        (metric) => [m.name, metric] as const,
      ),
    ),
  )('%s alarms on %s and notifies the alarm topic', (name, metric) => {
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: metric,
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machineId(name) } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
    template().hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: TEST_CONFIG.alarmEmail,
    });
  });
});
