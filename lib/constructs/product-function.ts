/**
 * The one place a Lambda gets its defaults: runtime, architecture, bundling, logging, tracing (off), role.
 * The stack makes every function through this construct, so no function can miss one of them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionName } from '../../lambdas/contract/functions.ts';
import type { FunctionSpec } from '../../lambdas/contract/functions.ts';
import { LAMBDA_BUNDLE, NODE_MAJOR, handlerEntry } from '../bundle-options.ts';

const PROJECT_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;
if (LAMBDA_RUNTIME.name !== `nodejs${NODE_MAJOR}.x`) {
  throw new Error(`Lambda runtime ${LAMBDA_RUNTIME.name} and bundle target node${NODE_MAJOR} disagree`);
}

/** lib/bundle-options.ts in the CDK's terms. Local esbuild only: synth must not need Docker. */
export const CDK_BUNDLING: BundlingOptions = {
  target: LAMBDA_BUNDLE.target,
  format: OutputFormat.ESM,
  minify: LAMBDA_BUNDLE.minify,
  sourceMap: LAMBDA_BUNDLE.sourceMap,
  sourcesContent: LAMBDA_BUNDLE.sourcesContent,
  keepNames: LAMBDA_BUNDLE.keepNames,
  mainFields: [...LAMBDA_BUNDLE.mainFields],
  externalModules: [...LAMBDA_BUNDLE.externalModules],
  banner: LAMBDA_BUNDLE.banner,
  forceDockerBundling: false,
};

export interface ProductFunctionProps {
  readonly spec: FunctionSpec;
  /** Prefix of the deployed function name (the stack name). */
  readonly namePrefix: string;
  readonly logRetention: RetentionDays;
  readonly environment: Readonly<Record<string, string>>;
  /** Executions held for this function alone, which are also its ceiling (lib/concurrency.ts). */
  readonly reservedConcurrency?: number;
}

export class ProductFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ProductFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // The log group's name is generated, so a later stack with the same function names never
      // collides with it; logs go with the stack (retention bounds them while it lives).
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of AWSLambdaBasicExecutionRole: that managed policy may write to any
    // log group in the account, this one only to the function's own.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${functionName(props.namePrefix, spec.name)}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName: functionName(props.namePrefix, spec.name),
      description: spec.description,
      entry: handlerEntry(PROJECT_ROOT, spec.handler),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      // X-Ray off (docs/architecture.md, "Tracing"): the Powertools tracer would add ~110 KB to every bundle.
      tracing: Tracing.DISABLED,
      ...(props.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrency }
        : {}),
      role: this.role,
      logGroup: this.logGroup,
      bundling: CDK_BUNDLING,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        `${LAMBDA_RUNTIME.name} is the Node major the local runtime and the tests run on (package.json ` +
        'engines); deployed and locally tested code stay on one major and move to a newer one together.',
    });
  }
}
