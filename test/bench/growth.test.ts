import { describe, expect, it } from 'vitest';
import { extrapolated } from '../../bench/growth.ts';
import type { GrowthRun } from '../../bench/growth-runs.ts';

/** Two measured rounds of the shape bench/growth-runs.ts prints; 10 accounts an owner in both. */
function round(owners: number, perOwner: number, deliveryReadsPerAccount: number): GrowthRun {
  const accounts = owners * 10;
  const groups = Math.ceil(owners / 40);
  const full = Math.min(owners, 40);
  return {
    accounts,
    owners,
    groups,
    roundEvents: 25,
    inlineRoundEvents: 25 + owners * 20,
    largestGroupEvents: 2 + 6 + full * 20,
    roundTransitions: 5 + groups + owners * perOwner,
    roundParentTransitions: 5,
    groupTransitions: Array.from({ length: groups }, (_, g) => 1 + Math.min(40, owners - g * 40) * perOwner),
    incidentTransitions: 10,
    invocations: 2 + owners * 3,
    byFunction: {},
    dynamodbReads: 4 + owners * 5 + accounts * deliveryReadsPerAccount,
    readsByFunction: { 'deliver-update': accounts * deliveryReadsPerAccount },
    peakConcurrent: owners * 2,
    peakSteps: owners,
    largestPayloadBytes: 800 + owners * 16,
    webhookToDmsSeconds: 1,
    floor: { seconds: 0.1, runs: [0.1] },
    path: {
      invocations: 10,
      transitions: 12,
      dynamodb: 30,
      slack: 2,
      stepfunctions: 2,
      steps: [],
      operations: [],
      awsEstimateSeconds: 1.5,
      asking: { dynamodb: 3, slack: 1, stepfunctions: 0 },
      lastDmAt: 0,
    },
  };
}

describe('extrapolated', () => {
  const small = round(10, 4, 2);
  const large = round(50, 4, 2);
  const grown = extrapolated(small, large, 50_000, 2_000);

  it("keeps what does not grow: the round's own history and a full group's", () => {
    expect(grown.roundEvents).toBe(25);
    expect(grown.largestGroupEvents).toBe(2 + 6 + 40 * 20);
  });

  it("counts transitions per owner and one state per group, twice an hour with the incident's own states", () => {
    // 50 groups of 40: the round's 5, one inner Map state a group, 4 an owner; and the incident's 10.
    expect(grown.transitionsPerHour).toBe(2 * (5 + 50 + 2_000 * 4 + 10));
  });

  it("scales deliveries' reads by accounts and the rest on the line through the two rounds", () => {
    expect(grown.invocations).toBe(2 + 2_000 * 3);
    expect(grown.dynamodbReads).toBe(4 + 2_000 * 5 + 50_000 * 2);
    expect(grown.peakSteps).toBe(2_000);
    expect(grown.payloadBytes).toBe(800 + 2_000 * 16);
    expect(grown.inlineRoundEvents).toBe(25 + 2_000 * 20);
  });

  it("adds to the larger round's path the draft's owner writes beyond one wave of 50 requests", () => {
    // 2,000 owners are 80 requests of 25 writes, two waves of 50; 50 owners one: one round trip of 10 ms more.
    expect(grown.dmEstimate.seconds).toBeCloseTo(1.5 + 0.01, 6);
    expect(extrapolated(small, large, 1_250, 1_250).dmEstimate.seconds).toBe(1.5);
    expect(extrapolated(small, large, 1_251, 1_251).dmEstimate.seconds).toBeCloseTo(1.51, 6);
  });

  it('says it was extrapolated and has no measured time', () => {
    expect(grown.how).toMatch(/^extrapolated from .*50 groups, 25 accounts an owner/);
    expect(grown.dmSeconds).toBeUndefined();
  });
});
