/**
 * The third-party credentials, one Secrets Manager secret per provider. Each secret is a JSON object
 * whose keys are the environment variable names the handlers use locally (lambdas/adapters/secrets.ts
 * reads `<GROUP>_SECRET_ARN` and looks the same names up in it), created once with every key present and
 * empty so an operator sees exactly what to fill in (README, "Secrets"), and kept when the stack goes.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretGroup } from '../../lambdas/contract/functions.ts';

export const SECRET_TEMPLATES: Record<SecretGroup, Record<string, string>> = {
  SLACK: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' },
  // Comma-separated: during a rotation PagerDuty signs with each active secret.
  PAGERDUTY: { PAGERDUTY_WEBHOOK_SECRETS: '' },
  // The sender is one of the last two; the messaging service is used when both are set.
  TWILIO: {
    TWILIO_ACCOUNT_SID: '',
    TWILIO_AUTH_TOKEN: '',
    TWILIO_MESSAGING_SERVICE_SID: '',
    TWILIO_FROM_NUMBER: '',
  },
};

/** The one key CloudFormation writes (a random value, read by nothing): the price of writing no values. */
export const CREATED_KEY = 'CREATED_BY_STACK';

const DESCRIPTIONS: Record<SecretGroup, string> = {
  SLACK: 'Slack app: bot token (xoxb-...) and signing secret',
  PAGERDUTY: 'PagerDuty v3 webhook subscription signing secret(s), comma-separated',
  TWILIO:
    'Twilio: account SID, auth token, and a messaging service SID or a from number (leave empty to disable SMS)',
};

export class ProductSecrets extends Construct {
  readonly secrets: Record<SecretGroup, Secret>;

  constructor(scope: Construct, id: string, props: { readonly namePrefix: string }) {
    super(scope, id);
    const make = (group: SecretGroup): Secret => {
      const secret = new Secret(this, group, {
        secretName: `${props.namePrefix}/${group.toLowerCase()}`,
        description: DESCRIPTIONS[group],
        // Generated once, at create: the template gives every key, empty, and CloudFormation adds its
        // own random CREATED_KEY. No SecretString is in the template, so no later deploy writes over
        // what an operator filled in; this template must never change (changing it replaces the
        // secret), which test/lib/resources.test.ts holds it to. A key added later is filled in by hand.
        generateSecretString: {
          secretStringTemplate: JSON.stringify(SECRET_TEMPLATES[group]),
          generateStringKey: CREATED_KEY,
          excludePunctuation: true,
        },
        // The operators' credentials outlive the stack: deleting or renaming it leaves them in place.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Provider-issued credentials (Slack, PagerDuty, Twilio) are rotated in the provider console; ' +
          'there is no API a rotation Lambda could call to mint new ones.',
      });
      return secret;
    };
    this.secrets = { SLACK: make('SLACK'), PAGERDUTY: make('PAGERDUTY'), TWILIO: make('TWILIO') };
  }

  /** GetSecretValue on this one secret (CDK's grantRead adds DescribeSecret, which nothing calls). */
  grantRead(group: SecretGroup, grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secrets[group].secretArn],
      }),
    );
  }
}
