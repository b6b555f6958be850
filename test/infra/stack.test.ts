import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS } from '../../lib/access.ts';
import type { FunctionAccess } from '../../lib/access.ts';
import { placeholdersIn, readAslText } from '../../lib/asl.ts';
import { SIGNED_ROUTES, THROTTLE } from '../../lib/constructs/http-api.ts';
import { FUNCTIONS, STATE_MACHINES, functionName } from '../../lambdas/functions.ts';
import { TEST_CONFIG, synthStack } from './synth.ts';
import type { Synthesized } from './synth.ts';
import {
  actionsOf,
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
let synth: Synthesized;
// One synthesis (ten esbuild bundles) shared by every test in this file.
beforeAll(() => {
  synth = synthStack({ bundle: true });
});
const template = () => synth.template;
const fnId = (dir: string): string => {
  const id = functionsByName(template()).get(functionName(PREFIX, dir));
  if (!id) throw new Error(`No function ${functionName(PREFIX, dir)}`);
  return id;
};
const fnStatements = (dir: string) => statementsOfRole(template(), roleOf(template(), fnId(dir)));
const machineId = (name: string): string => {
  const id = stateMachinesByName(template()).get(`${PREFIX}-${name}`);
  if (!id) throw new Error(`No state machine ${PREFIX}-${name}`);
  return id;
};

describe('HTTP API', () => {
  const routes = FUNCTIONS.flatMap((f) => ('routes' in f ? f.routes.map((r) => [r, f.dir] as const) : []));

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

  it.each(FUNCTIONS.map((f) => [f.dir, f] as const))('%s has the product defaults', (dir, spec) => {
    template().hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: functionName(PREFIX, dir),
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
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

  it.each(FUNCTIONS.map((f) => [f.dir] as const))(
    '%s is bundled as minified ESM with a source map',
    (dir) => {
      const code = synth.stack.functions.get(dir)!.function.node.findChild('Code') as Asset;
      const bundleDir = path.join(Stage.of(synth.stack)!.outdir, code.assetPath);
      const bundle = readFileSync(path.join(bundleDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith('import { createRequire as __bundleCreateRequire }')).toBe(true);
      expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(existsSync(path.join(bundleDir, 'index.mjs.map'))).toBe(true);
      // Minified code runs to thousands of characters a line (multi-line string literals aside);
      // unminified esbuild output averages well under a hundred.
      expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(500);
    },
  );

  it.each(FUNCTIONS.map((f) => [f.dir] as const))(
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

      const writes = statements
        .flatMap(actionsOf)
        .filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a));
      expect(writes.length > 0).toBe(access.table === 'readWrite');
      expect(statements.flatMap(actionsOf)).toContain('dynamodb:Query');
    },
  );

  it.each(FUNCTIONS.map((f) => [f.dir] as const))(
    '%s may start and complete executions only if listed',
    (dir) => {
      const access: FunctionAccess = ACCESS[dir];
      const statements = fnStatements(dir);
      const started = resourcesGranted(statements, 'states:StartExecution').map(flat);
      expect(started).toEqual(
        access.startsIncidents ? [expect.stringMatching(`:stateMachine:${PREFIX}-incident$`)] : [],
      );
      const completes = resourcesGranted(statements, 'states:SendTaskSuccess').map(flat).sort();
      expect(completes).toEqual(
        access.completesTasks
          ? STATE_MACHINES.map((m): unknown => expect.stringMatching(`:stateMachine:${PREFIX}-${m.name}$`))
          : [],
      );
    },
  );

  it('points the API handlers at the incident state machine', () => {
    for (const spec of FUNCTIONS.filter((f) => 'routes' in f)) {
      const env = (
        resource(template(), fnId(spec.dir)).Properties?.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(flat(env.STATE_MACHINE_ARN), spec.dir).toMatch(new RegExp(`:stateMachine:${PREFIX}-incident$`));
    }
  });
});

describe('state machines', () => {
  it.each(STATE_MACHINES.map((m) => [m.name, m] as const))(
    '%s is STANDARD, traced, logs errors only',
    (name) => {
      template().hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `${PREFIX}-${name}`,
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
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
        const expected = fnSpec ? fnId(fnSpec.dir) : machineId(machine!.name);
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
        .map((p) => FUNCTIONS.find((f) => 'substitution' in f && f.substitution === p)!.dir)
        .map(fnId)
        .sort();
      const statements = statementsOfRole(template(), roleOf(template(), machineId(m.name)));
      const invokable = resourcesGranted(statements, 'lambda:InvokeFunction').map(
        (r) => targetOf(r) ?? flat(r),
      );
      expect(invokable.sort()).toEqual(expected);
    },
  );

  it('lets the incident machine run update rounds as .sync children, and nothing else start machines', () => {
    const parent = statementsOfRole(template(), roleOf(template(), machineId('incident')));
    expect(resourcesGranted(parent, 'states:StartExecution').map(targetOf)).toEqual([
      machineId('update-round'),
    ]);
    for (const action of ['states:DescribeExecution', 'states:StopExecution']) {
      expect(resourcesGranted(parent, action).map(flat)).toEqual([
        expect.stringMatching(`:execution:${PREFIX}-update-round:\\*$`),
      ]);
    }
    for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
      expect(resourcesGranted(parent, action).map(flat)).toEqual([
        expect.stringMatching(/:rule\/StepFunctionsGetEventsForStepFunctionsExecutionRule$/),
      ]);
    }
    const child = statementsOfRole(template(), roleOf(template(), machineId('update-round')));
    expect(resourcesGranted(child, 'states:StartExecution')).toEqual([]);
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
