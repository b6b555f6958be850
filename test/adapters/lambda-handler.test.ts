import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as MetricsAdapter from '../../lambdas/adapters/metrics.ts';
import type * as Wrapper from '../../lambdas/adapters/lambda-handler.ts';
import type * as LoggerAdapter from '../../lambdas/adapters/logger.ts';
import { DIMENSION, METRIC, METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambdas/contract/metrics.ts';

/**
 * The metric lines as CloudWatch reads them (embedded metric format on stdout): one line per dimension
 * set, counts summed, written when the wrapped handler ends, thrown or not, and nothing when nothing was
 * recorded.
 */
let metrics: typeof MetricsAdapter;
let wrapper: typeof Wrapper;
let logs: typeof LoggerAdapter;
let lines: Record<string, unknown>[] = [];
let logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_SERVICE_NAME = 'CommsTest';
  metrics = await import('../../lambdas/adapters/metrics.ts');
  wrapper = await import('../../lambdas/adapters/lambda-handler.ts');
  logs = await import('../../lambdas/adapters/logger.ts');
});
afterEach(() => {
  vi.restoreAllMocks();
  lines = [];
  logLines = [];
});

/** Metric lines go to stdout, warnings to stderr: both are read, and kept out of the test's output. */
function captureStdout(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    const capture = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (!text.startsWith('{')) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      for (const line of text.split('\n').filter((l) => l.startsWith('{'))) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        (line.includes('"_aws"') ? lines : logLines).push(parsed);
      }
      return true;
    };
    vi.spyOn(stream, 'write').mockImplementation(capture);
  }
}

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

describe('lambdaHandler', () => {
  it('writes one line per dimension set when the handler ends, with the counts summed', async () => {
    captureStdout();
    const handler = wrapper.lambdaHandler(async (input: { n: number }) => {
      for (let i = 0; i < input.n; i++) metrics.countSend('sms', 'sent');
      metrics.countSend('email', 'failed');
      metrics.countEscalation('backup');
      expect(lines).toEqual([]);
      return input.n;
    });
    expect(await handler({ n: 3 })).toBe(3);
    const emf = lines as unknown as Emf[];
    expect(emf).toHaveLength(3);
    for (const line of emf) {
      expect(line._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
      expect(line[SERVICE_DIMENSION]).toBe('CommsTest');
    }
    const sms = emf.find((l) => l[DIMENSION.channel] === 'sms');
    expect(sms).toMatchObject({ [DIMENSION.outcome]: 'sent', [METRIC.customerSends]: 3 });
    expect(sms?._aws.CloudWatchMetrics[0]?.Dimensions[0]?.sort()).toEqual(
      [SERVICE_DIMENSION, DIMENSION.channel, DIMENSION.outcome].sort(),
    );
    const email = emf.find((l) => l[DIMENSION.channel] === 'email');
    expect(email).toMatchObject({ [DIMENSION.outcome]: 'failed', [METRIC.customerSends]: 1 });
    expect(emf.find((l) => l[DIMENSION.to] === 'backup')).toMatchObject({ [METRIC.escalations]: 1 });
  });

  it('writes what was recorded when the handler throws, and nothing for an invocation that recorded nothing', async () => {
    captureStdout();
    const failing = wrapper.lambdaHandler(async () => {
      metrics.recordTimeToFirstNotice(240);
      throw new Error('step failed');
    });
    await expect(failing()).rejects.toThrow('step failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ [METRIC.timeToFirstNotice]: 240 });
    const quiet = wrapper.lambdaHandler(async () => 'nothing to count');
    await quiet();
    expect(lines).toHaveLength(1);
  });

  it("labels each line with the request and drops one invocation's keys before the next", async () => {
    captureStdout();
    const handler = wrapper.lambdaHandler(async (input: { incidentId?: string }, _context: object) => {
      if (input.incidentId) logs.logContext({ incidentId: input.incidentId });
      logs.logger.warn('step ran');
    });
    const context = (id: string) => ({ awsRequestId: id, functionName: 'CommsTest-load-incident' });
    await handler({ incidentId: 'Q1' }, context('req-1'));
    await handler({}, context('req-2'));
    const ran = logLines.filter((l) => l.message === 'step ran');
    expect(ran).toHaveLength(2);
    // The first invocation in this file was the cold one (an earlier test's).
    expect(ran[0]).toMatchObject({ incidentId: 'Q1', function_request_id: 'req-1', cold_start: false });
    expect(ran[1]).toMatchObject({ function_request_id: 'req-2', cold_start: false });
    expect(ran[1]).not.toHaveProperty('incidentId');
  });
});
