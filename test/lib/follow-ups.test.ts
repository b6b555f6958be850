import { describe, expect, it } from 'vitest';
import { FUNCTIONS, functionName } from '../../lambdas/contract/functions.ts';
import { TEST_CONFIG } from './synth.ts';
import {
  flat,
  synthesizedOnce,
  resources,
  resourcesGranted,
  targetOf,
} from './template-helpers.ts';

/**
 * The front doors' follow-ups in the stack (lib/constructs/follow-ups.ts): each function whose spec has
 * `followUp` may invoke itself and nothing else, Lambda retries its asynchronous events as the spec says,
 * and what still fails goes to one encrypted queue.
 */
const PREFIX = TEST_CONFIG.stackName;
const { synthesized, template, fnId, statementsOf } = synthesizedOnce();
const invokeGrants = (name: string) => resourcesGranted(statementsOf(name), 'lambda:InvokeFunction');

const followingUp = FUNCTIONS.filter((f) => 'followUp' in f);

describe('answer first, then finish', () => {
  it('the four front doors follow up; no other function does', () => {
    expect(followingUp.map((f) => f.name).sort()).toEqual(
      ['pagerduty-webhook', 'slack-commands', 'slack-events', 'slack-interactions'].sort(),
    );
  });

  it.each(followingUp.map((f) => [f.name, f] as const))('%s may invoke itself, and only itself', (name) => {
    const granted = invokeGrants(name).map(flat);
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatch(new RegExp(`:lambda:.*:function:${functionName(PREFIX, name)}$`));
  });

  it('no other function may invoke a function', () => {
    for (const spec of FUNCTIONS.filter((f) => !('followUp' in f))) {
      expect(invokeGrants(spec.name), spec.name).toEqual([]);
    }
  });

  it.each(followingUp.map((f) => [f.name, f] as const))(
    '%s: retries and event age as its spec says, failures to the dead-letter queue',
    (name, spec) => {
      const configs = resources(template(), 'AWS::Lambda::EventInvokeConfig').filter(
        ([, r]) => targetOf(r.Properties?.FunctionName) === fnId(name),
      );
      expect(configs).toHaveLength(1);
      const props = configs[0]![1].Properties!;
      expect(props.MaximumRetryAttempts).toBe(spec.followUp.maximumRetryAttempts);
      expect(props.MaximumEventAgeInSeconds).toBe(spec.followUp.maximumEventAgeSeconds);
      const onFailure = (props.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure;
      const [queueId] = resources(template(), 'AWS::SQS::Queue').map(([id]) => id);
      expect(targetOf(onFailure.Destination)).toBe(queueId);
      // Lambda sends to the queue with the function's own role.
      const sends = resourcesGranted(
        statementsOf(name),
        'sqs:SendMessage',
      );
      expect(sends.map(targetOf)).toContain(queueId);
    },
  );

  it('one dead-letter queue, encrypted, TLS only, kept 14 days', () => {
    const queues = resources(template(), 'AWS::SQS::Queue');
    expect(queues).toHaveLength(1);
    const [id, queue] = queues[0]!;
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties?.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    const policies = resources(template(), 'AWS::SQS::QueuePolicy').filter(([, p]) =>
      (p.Properties?.Queues as unknown[]).some((q) => targetOf(q) === id),
    );
    expect(JSON.stringify(policies)).toMatch(/aws:SecureTransport/);
    expect(synthesized().stack.followUps.deadLetterQueue.node.path).toMatch(/FollowUps\/DeadLetters$/);
  });
});
