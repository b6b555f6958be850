import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStepFunctions } from '../../../local/stepfunctions/index.ts';
import { arnOf, startWith } from './helpers.ts';
import { WAIT_BOUND_MS } from '../../../local/driver.ts';

/** The raw protocol, byte for byte as the AWS CLI sends it (`aws stepfunctions … --endpoint-url`). */

let sfn: LocalStepFunctions;

beforeAll(async () => {
  sfn = await startWith(['echo'], { echo: async (event) => event });
});

afterAll(async () => {
  await sfn?.close();
});

function cliRequest(target: string, body: string): Promise<Response> {
  return fetch(`${sfn.url}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': target,
      'User-Agent': 'aws-cli/2.15.0 md/awscrt#0.19.19 ua/2.0 os/linux md/arch#x86_64 lang/python#3.11.6',
      'X-Amz-Date': '20240101T000000Z',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/states/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
        '0'.repeat(64),
    },
    body,
  });
}

describe('the JSON 1.0 wire protocol', () => {
  it('starts and describes an execution with the headers the CLI sends; timestamps are epoch seconds', async () => {
    const before = Date.now() / 1000;
    const started = await cliRequest(
      'AWSStepFunctions.StartExecution',
      JSON.stringify({ stateMachineArn: arnOf('echo'), name: 'from-cli', input: '{"name":"cli"}' }),
    );
    expect(started.status).toBe(200);
    expect(started.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    const { executionArn, startDate } = (await started.json()) as { executionArn: string; startDate: number };
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:echo:from-cli');
    expect(typeof startDate).toBe('number');
    // Epoch seconds (not milliseconds): between the request and its answer.
    expect(startDate).toBeGreaterThanOrEqual(Math.floor(before));
    expect(startDate).toBeLessThanOrEqual(Date.now() / 1000);

    await sfn.engine.waitForStatus(executionArn, 'SUCCEEDED', WAIT_BOUND_MS);
    const described = await cliRequest(
      'AWSStepFunctions.DescribeExecution',
      JSON.stringify({ executionArn }),
    );
    const body = (await described.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'SUCCEEDED',
      name: 'from-cli',
      stopDate: expect.any(Number) as number,
    });
  });

  it('answers errors as HTTP 400 with __type and message', async () => {
    const missing = await cliRequest(
      'AWSStepFunctions.DescribeExecution',
      JSON.stringify({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:echo:missing' }),
    );
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      __type: 'ExecutionDoesNotExist',
      message: expect.any(String) as string,
    });

    const unknown = await cliRequest('AWSStepFunctions.CreateActivity', '{}');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');

    const noTarget = await cliRequest('SomethingElse.StartExecution', '{}');
    expect(((await noTarget.json()) as { __type: string }).__type).toBe('UnknownOperationException');

    const malformed = await cliRequest('AWSStepFunctions.StartExecution', '{"stateMachineArn": ');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { __type: string }).__type).toBe('SerializationException');

    const noArn = await cliRequest('AWSStepFunctions.StartExecution', '{}');
    expect(((await noArn.json()) as { __type: string }).__type).toBe('ValidationException');
  });
});
