import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchRoster } from '../../../bench/workflow-world.ts';
import { runFaultyIncident, type FaultyIncidentReport } from '../../support/fault-incident.ts';
import { WEDNESDAY } from '../../support/scenarios.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * The product's own faults, not its providers': every step's Lambda throws on 20 % of its invocations
 * (half before its handler ran, half after — its sends done, its answer lost) and times out on 5 % more.
 * A SEV1 still runs through two updates to its resolution, every customer recipient gets each update
 * exactly once (counted in the stand-ins, matched against the notification log), and the CMOC hears about
 * every step that ran out of retries — some do: every delivery fails until the CMOC is first asked to try
 * again, and the CMOC's Try again carries on. The bench runs the same faults on the 500-account company.
 */
const FAULTS = '*=0.2,*=timeout:0.05';

let world: World;
let report: FaultyIncidentReport;

beforeAll(async () => {
  world = await startWorld({
    roster: benchRoster(40, 8),
    timeScale: 60,
    lambdaFaults: FAULTS,
    faultSeed: 11,
  });
  report = await runFaultyIncident(world, {
    incidentId: 'QOWNFAULTS',
    updates: 2,
    at: WEDNESDAY.americasMorning,
    services: ['ingestion'],
    // Every delivery throws until the CMOC is first asked to try a step again: some steps run out.
    exhaust: 'deliver-update',
    timeoutMs: 240_000,
  });
}, 600_000);

afterAll(() => world?.close());

describe('a SEV1 while every step fails now and then', () => {
  it('runs through two updates to its resolution', () => {
    expect(report.status, `stopped at ${report.stoppedAt}`).toBe('SUCCEEDED');
    // The first update, a scheduled one, the resolution.
    expect(report.rounds).toBeGreaterThanOrEqual(3);
  });

  it('really failed steps: throws on both sides of the handler, timeouts, and retries', () => {
    expect(report.injected['throw-before']).toBeGreaterThan(0);
    expect(report.injected['throw-after']).toBeGreaterThan(0);
    expect(report.injected.timeout).toBeGreaterThan(0);
    expect(report.retries).toBeGreaterThan(0);
  });

  it('gives every customer recipient each update exactly once', () => {
    expect(report.problems).toEqual([]);
    expect(report.expected).toBeGreaterThan(0);
    expect(report.duplicates).toBe(0);
    expect(report.missed).toBe(0);
  });

  it('tells the CMOC about every step that ran out of retries, and Try again carries on', () => {
    expect(report.exhausted.length).toBeGreaterThan(0);
    expect(report.exhausted.some((s) => s.state === "Send to the owner's accounts")).toBe(true);
    expect(report.toldCmoc, `untold: ${JSON.stringify(report.untold)}`).toBe(report.exhausted.length);
  });
});
