import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { SES_FROM_PLACEHOLDER, readConfig } from '../../lib/config.ts';
import { ProductApi, parseRouteKey } from '../../lib/constructs/http-api.ts';

const from = (context: Record<string, unknown>, env: Record<string, string> = {}) =>
  readConfig({ context: (key) => context[key], env });

describe('readConfig', () => {
  it('has defaults that synthesize with nothing set', () => {
    expect(from({})).toEqual({
      stackName: 'IncidentComms',
      companyName: 'Example Corp',
      logRetention: RetentionDays.THREE_MONTHS,
      sesFromAddress: SES_FROM_PLACEHOLDER,
      reservedConcurrency: true,
    });
    expect(from({ reservedConcurrency: 'off' }).reservedConcurrency).toBe(false);
  });

  it('takes context over the environment, and the environment over defaults', () => {
    const env = {
      STACK_NAME: 'FromEnv',
      COMPANY_NAME: 'Env Co',
      LOG_RETENTION_DAYS: '14',
      ALARM_EMAIL: 'env@example.com',
      SES_FROM_ADDRESS: 'status@env.example',
      SES_CONFIGURATION_SET: 'env-set',
    };
    expect(from({}, env)).toEqual({
      stackName: 'FromEnv',
      companyName: 'Env Co',
      logRetention: RetentionDays.TWO_WEEKS,
      alarmEmail: 'env@example.com',
      sesFromAddress: 'status@env.example',
      sesConfigurationSet: 'env-set',
      reservedConcurrency: true,
    });
    expect(
      from({ stackName: 'FromContext', logRetentionDays: 365, sesFromAddress: 'status@ctx.example' }, env),
    ).toMatchObject({
      stackName: 'FromContext',
      companyName: 'Env Co',
      logRetention: RetentionDays.ONE_YEAR,
      sesFromAddress: 'status@ctx.example',
      sesConfigurationSet: 'env-set',
    });
  });

  it.each([
    [{ stackName: '9lives' }, /stackName/],
    [{ stackName: 'x'.repeat(41) }, /stackName/],
    [{ logRetentionDays: '10' }, /logRetentionDays must be one of/],
    [{ alarmEmail: 'not-an-address' }, /alarmEmail/],
    [{ sesFromAddress: 'Acme <status@acme.example>' }, /sesFromAddress .* is not an email address/],
    [{ sesConfigurationSet: 'has spaces' }, /sesConfigurationSet/],
    [{ sesConfigurationSet: 'x'.repeat(65) }, /sesConfigurationSet/],
    [{ reservedConcurrency: 'sometimes' }, /reservedConcurrency "sometimes": use on or off/],
  ])('rejects %j', (context, message) => {
    expect(() => from(context)).toThrow(message);
  });
});

describe('HTTP routes', () => {
  it('parses route keys and rejects malformed ones', () => {
    expect(parseRouteKey('GET /api/incidents/{id}')).toEqual({ method: 'GET', path: '/api/incidents/{id}' });
    expect(() => parseRouteKey('FETCH /x')).toThrow(/not "<METHOD> \/path"/);
    expect(() => parseRouteKey('/no-method')).toThrow(/not "<METHOD> \/path"/);
  });

  it('refuses a public route nobody verifies', () => {
    const stack = new Stack(new App(), 'RouteGuard');
    const handler = LambdaFunction.fromFunctionArn(
      stack,
      'Fn',
      'arn:aws:lambda:eu-west-1:123456789012:function:x',
    );
    const make = (routeKey: string) =>
      new ProductApi(stack, `Api${stack.node.children.length}`, {
        name: 'guard',
        routes: [{ routeKey, name: 'x', handler }],
        logRetention: RetentionDays.ONE_DAY,
      });
    expect(() => make('POST /admin/reset')).toThrow(
      /neither under \/api\/ \(IAM\) nor a signed provider route/,
    );
    expect(() => make('GET /api/anything')).not.toThrow();
  });
});
