/**
 * The CDK app: configuration in, one stack out. Environment-agnostic (no account or region here), so
 * `npx cdk synth` works offline; `npx cdk deploy` deploys to the credentials' account and region.
 */
import { App } from 'aws-cdk-lib';
import { readConfig } from '../lib/config.ts';
import { IncidentCommsStack } from '../lib/incident-comms-stack.ts';

const app = new App();
const config = readConfig({ context: (key): unknown => app.node.tryGetContext(key), env: process.env });
new IncidentCommsStack(app, config.stackName, {
  config,
  description: `Incident comms for ${config.companyName}: PagerDuty to Slack, email and SMS updates sent by people`,
});
