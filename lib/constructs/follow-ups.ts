/**
 * The front doors' follow-ups (docs/architecture.md, "Answer first, then finish"): a function that answers
 * its caller first invokes itself asynchronously for the rest. This construct grants each such function
 * lambda:InvokeFunction on itself only, configures how Lambda retries that event (FunctionSpec.followUp,
 * the same numbers the local Lambda API follows) and sends what still fails to one encrypted SQS
 * dead-letter queue, whose depth is what an operator watches.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ArnFormat } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionName } from '../../lambdas/contract/functions.ts';
import type { FunctionSpec } from '../../lambdas/contract/functions.ts';
import type { ProductFunction } from './product-function.ts';

export interface FollowUpsProps {
  /** Prefix of the deployed function names (the stack name). */
  readonly namePrefix: string;
  /** Every function whose spec has `followUp`, with its spec. */
  readonly functions: readonly { spec: FunctionSpec; fn: ProductFunction }[];
}

export class FollowUps extends Construct {
  /**
   * What Lambda gave up on: one record per event (the request payload, the error, how many tries), as
   * Lambda's on-failure destination writes it. Kept 14 days, SQS's longest, for replay by hand.
   */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: FollowUpsProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the front doors’ asynchronous invocations; ' +
        'nothing consumes it automatically, so it needs no dead-letter queue of its own.',
    });

    const destination = new SqsDestination(this.deadLetterQueue);
    const stack = Stack.of(this);
    for (const { spec, fn } of props.functions) {
      const policy = spec.followUp;
      if (!policy) continue;
      // The ARN from the function's fixed name, not the function's token: a policy on the function's own
      // role naming the function would close a role → function → role dependency cycle.
      const self = stack.formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: functionName(props.namePrefix, spec.name),
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [self] }),
      );
      fn.function.configureAsyncInvoke({
        retryAttempts: policy.maximumRetryAttempts,
        maxEventAge: Duration.seconds(policy.maximumEventAgeSeconds),
        onFailure: destination,
      });
    }
  }
}
