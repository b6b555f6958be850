import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../lambdas/adapters/table-schema.ts';
import { ACCESS } from '../../lib/access.ts';
import type { FunctionAccess } from '../../lib/access.ts';
import { SES_FROM_PLACEHOLDER } from '../../lib/config.ts';
import { CREATED_KEY } from '../../lib/constructs/product-secrets.ts';
import { TEST_CONFIG, synthStack } from './synth.ts';
import type { Synthesized } from './synth.ts';
import { resources } from './template-helpers.ts';

const PREFIX = TEST_CONFIG.stackName;
const warningsAndErrors = ({ stack }: Synthesized): string[] => {
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findWarning('*', Match.anyValue()),
    ...annotations.findError('*', Match.anyValue()),
  ].map((a) => `${a.id}: ${JSON.stringify(a.entry.data)}`);
};
let synth: Synthesized;
// Nothing here looks at function code: skip esbuild.
beforeAll(() => {
  synth = synthStack({ bundle: false });
});
const template = () => synth.template;

describe('table and secrets', () => {
  it('builds the table from TABLE_SCHEMA: on demand, PITR, TTL, encrypted, retained', () => {
    template().hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        GlobalSecondaryIndexes: TABLE_SCHEMA.indexes.map((i) =>
          Match.objectLike({
            IndexName: i.indexName,
            KeySchema: [
              { AttributeName: i.partitionKey, KeyType: 'HASH' },
              { AttributeName: i.sortKey, KeyType: 'RANGE' },
            ],
          }),
        ),
      }),
    });
  });

  it('creates one secret per provider holding the keys to fill in, empty, generated once and retained', () => {
    for (const [name, keys] of [
      ['slack', ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']],
      ['pagerduty', ['PAGERDUTY_WEBHOOK_SECRETS']],
      [
        'twilio',
        ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_MESSAGING_SERVICE_SID', 'TWILIO_FROM_NUMBER'],
      ],
    ] as const) {
      const [, secret] = resources(template(), 'AWS::SecretsManager::Secret').find(
        ([, r]) => r.Properties?.Name === `${PREFIX}/${name}`,
      )!;
      // No value in the template: a later deploy has nothing to write over what operators filled in.
      expect(secret.Properties).not.toHaveProperty('SecretString');
      expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      const generate = secret.Properties?.GenerateSecretString as {
        SecretStringTemplate: string;
        GenerateStringKey: string;
      };
      expect(generate.GenerateStringKey).toBe(CREATED_KEY);
      // Frozen: a changed template would make CloudFormation replace the secret (and lose its values).
      expect(JSON.parse(generate.SecretStringTemplate)).toEqual(Object.fromEntries(keys.map((k) => [k, ''])));
    }
  });

  it('grants wildcard resources only for log delivery (X-Ray is off)', () => {
    // What Step Functions log delivery needs; it supports no resource-level permissions.
    const allowedOnStar = new Set([
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:UpdateLogDelivery',
    ]);
    const wildcard = resources(template(), 'AWS::IAM::Policy')
      .flatMap(
        ([, p]) =>
          (p.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
            .Statement,
      )
      .filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')))
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(wildcard.length).toBeGreaterThan(0);
    expect(wildcard.filter((a) => !allowedOnStar.has(a))).toEqual([]);
  });

  it('synthesizes without CDK warnings or errors', () => {
    expect(warningsAndErrors(synth)).toEqual([]);
  });

  it('without SES settings, warns that email would go from the placeholder, and names no configuration set', () => {
    const unset = synthStack({ bundle: false, context: { sesFromAddress: '', sesConfigurationSet: '' } });
    expect(warningsAndErrors(unset)).toEqual([
      expect.stringMatching(/incidents@example\.com, which SES refuses.*-c sesFromAddress=/),
    ]);
    const env = (dir: string) => {
      const [, fn] = resources(unset.template, 'AWS::Lambda::Function').find(
        ([, r]) => r.Properties?.FunctionName === `${PREFIX}-${dir}`,
      )!;
      return (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    };
    const senders = Object.entries(ACCESS).filter(([, a]) => (a as FunctionAccess).sendsEmail);
    expect(senders.length).toBeGreaterThan(0);
    for (const [dir] of senders) {
      expect(env(dir).SES_FROM_ADDRESS).toBe(SES_FROM_PLACEHOLDER);
      expect(env(dir)).not.toHaveProperty('SES_CONFIGURATION_SET');
    }
    expect(JSON.stringify(unset.template.toJSON())).not.toContain(':configuration-set/');
  });

  it('outputs the URLs and secrets an operator needs', () => {
    for (const output of [
      'ApiUrl',
      'PagerDutyWebhookUrl',
      'SlackInteractionsUrl',
      'SlackCommandsUrl',
      'SlackEventsUrl',
      'SlackSecretName',
      'PagerDutySecretName',
      'TwilioSecretName',
    ]) {
      template().hasOutput(output, Match.anyValue());
    }
  });
});
