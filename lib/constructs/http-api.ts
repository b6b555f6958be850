/**
 * The HTTP API: one route per FUNCTIONS[].routes entry. Provider callbacks are public because the
 * providers cannot sign with SigV4 (each handler verifies its provider's signature); the read API is IAM.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Public routes and who verifies them. A route neither here nor under /api/ fails the synth. */
export const SIGNED_ROUTES: Readonly<Record<string, string>> = {
  'POST /webhooks/pagerduty': 'PagerDuty v3 webhook HMAC (X-PagerDuty-Signature)',
  'POST /slack/interactions': 'Slack request signature (X-Slack-Signature, 5-minute window)',
  'POST /slack/commands': 'Slack request signature (X-Slack-Signature, 5-minute window)',
  'POST /slack/events': 'Slack request signature (X-Slack-Signature, 5-minute window)',
  'POST /webhooks/twilio/status':
    'Twilio request signature (X-Twilio-Signature, HMAC-SHA1 with the auth token)',
};
const IAM_PREFIX = '/api/';

/** Sustained requests per second and burst for the whole stage; Slack and PagerDuty stay far below. */
export const THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

export interface ApiRoute {
  readonly routeKey: string;
  /** Unique per handler (the function's folder); names the integration. */
  readonly name: string;
  readonly handler: IFunction;
}

export function parseRouteKey(routeKey: string): { method: HttpMethod; path: string } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  const method = match?.[1] as HttpMethod | undefined;
  if (!match?.[2] || !method || !Object.values(HttpMethod).includes(method)) {
    throw new Error(`Route "${routeKey}" is not "<METHOD> /path"`);
  }
  return { method, path: match[2] };
}

export class ProductApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly name: string;
      readonly routes: readonly ApiRoute[];
      readonly logRetention: RetentionDays;
    },
  ) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: props.name,
      description: 'PagerDuty webhooks, Slack interactions and commands, Twilio receipts, read API',
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No bodies or headers: webhook and Slack payloads name customers and people.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            sourceIp: '$context.identity.sourceIp',
            caller: '$context.identity.userArn',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integration.latency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const iam = new HttpIamAuthorizer();
    const integrations = new Map<IFunction, HttpLambdaIntegration>();
    for (const { routeKey, name, handler } of props.routes) {
      const { method, path } = parseRouteKey(routeKey);
      const signedBy = SIGNED_ROUTES[routeKey];
      let authorizer: IHttpRouteAuthorizer | undefined;
      if (path.startsWith(IAM_PREFIX)) authorizer = iam;
      else if (signedBy === undefined) {
        throw new Error(
          `Route "${routeKey}" is neither under ${IAM_PREFIX} (IAM) nor a signed provider route`,
        );
      }
      let integration = integrations.get(handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${name}-integration`, handler);
        integrations.set(handler, integration);
      }
      const [route] = this.api.addRoutes({
        path,
        methods: [method],
        integration,
        ...(authorizer !== undefined ? { authorizer } : {}),
      });
      if (route && signedBy !== undefined) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `Called by a provider that cannot sign with SigV4; the handler verifies the ${signedBy}.`,
        });
      }
    }
  }

  /** https://<api-id>.execute-api.<region>.amazonaws.com/ */
  get url(): string {
    return this.stage.url;
  }
}
