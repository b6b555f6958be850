/**
 * The product's one DynamoDB table, built from TABLE_SCHEMA (which the local runtime also uses), with
 * grants of exactly the actions a function calls, naming the table and its indexes instead of CDK's
 * `index/*` wildcard.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../lambdas/adapters/table-schema.ts';

export class DataTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      // The roster names people (time zones, PTO) and the log records who told which customer what:
      // the AWS-managed key puts every use of the key in CloudTrail at no key upkeep. A customer-managed
      // key would add cost and a key policy to maintain, and buys only cross-account use or revocation,
      // which this single-account table does not need.
      encryption: TableEncryption.AWS_MANAGED,
      // The notification log is the record of who was told what; deleting the stack must not erase it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_SCHEMA.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * The given DynamoDB actions, each on what it needs: Query on the table and its indexes (the only
   * action that reads an index), every other one on the table alone.
   */
  grant(grantee: IGrantable, actions: readonly string[]): void {
    const query = actions.filter((a) => a === 'dynamodb:Query');
    const rest = actions.filter((a) => a !== 'dynamodb:Query').sort();
    const { tableArn } = this.table;
    if (query.length > 0) {
      const indexes = TABLE_SCHEMA.indexes.map((index) => `${tableArn}/index/${index.indexName}`);
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: query, resources: [tableArn, ...indexes] }),
      );
    }
    if (rest.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: rest, resources: [tableArn] }),
      );
    }
  }
}
