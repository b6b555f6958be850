import { Validations } from 'aws-cdk-lib';
import type { PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, STATE_MACHINES } from '../../lambdas/contract/functions.ts';
import { synthStack } from './synth.ts';
import type { Synthesized } from './synth.ts';

// cdk-nag looks at the construct tree, not at code: skip esbuild here.
let withAlarmEmail: Synthesized;
let withoutAlarmEmail: Synthesized;
beforeAll(() => {
  withAlarmEmail = synthStack({ bundle: false });
  withoutAlarmEmail = synthStack({ bundle: false, context: { alarmEmail: '' } });
});

const describeViolations = (violations: PolicyViolation[]): string =>
  violations
    .map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)
    .join('\n');

/** Every acknowledgment in the tree: [construct path, rule id, reason]. */
function acknowledgments(root: IConstruct): [string, string, string][] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]): [string, string, string] => [
        c.node.path,
        id.replace(/^annotation::/i, ''),
        reason,
      ]),
  );
}

/**
 * The findings as they would be with no acknowledgment at all. NagPack keeps its acknowledgment lookup
 * private; replacing it on one instance is the only way to see what each acknowledgment hides.
 */
function rawFindings(root: IConstruct): PolicyViolation[] {
  const pack = new AwsSolutionsChecks();
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return [...pack.validateScope(root).violations];
}

describe.each([
  ['with an alarm email', () => withAlarmEmail],
  ['without an alarm email', () => withoutAlarmEmail],
])('AwsSolutions checks %s', (_label, stack) => {
  it('leave no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(stack().stack);
    expect(report.violations, describeViolations([...report.violations])).toHaveLength(0);
  });

  it('have every acknowledgment hide a real finding under the acknowledging construct', () => {
    const raw = rawFindings(stack().stack);
    const stale = acknowledgments(stack().stack).filter(
      ([where, id]) =>
        !raw.some(
          (v) =>
            v.ruleName === id &&
            v.violatingResources.some(
              (r) => r.constructPath === where || (r.constructPath ?? '').startsWith(`${where}/`),
            ),
        ),
    );
    expect(stale).toEqual([]);
  });

  it('give every acknowledgment a specific reason', () => {
    const acks = acknowledgments(stack().stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const [where, id, reason] of acks) {
      expect(reason.length, `${id} on ${where}`).toBeGreaterThan(60);
    }
  });
});

describe('the alarm topic', () => {
  it.each([
    ['without an alarm email', () => withoutAlarmEmail, 0],
    ['with one', () => withAlarmEmail, 1],
  ] as const)('exists %s, and every alarm notifies it', (_, synth, subscriptions) => {
    const { template } = synth();
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', subscriptions);
    const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    // Errors and throttles of every function, the state machines' three, and the product's own.
    expect(alarms.length).toBeGreaterThanOrEqual(2 * FUNCTIONS.length + 3 * STATE_MACHINES.length);
    for (const alarm of alarms)
      expect((alarm as { Properties: { AlarmActions?: unknown[] } }).Properties.AlarmActions).toEqual([
        { Ref: topic },
      ]);
  });
});
