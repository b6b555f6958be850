/**
 * What a broadcast costs in Step Functions, as a model of statemachines/broadcast.asl.json: the growth
 * rows extrapolate it to 5,000 and 20,000 channels, and the broadcast bench checks it against the states
 * a real 500-channel run visited (bench/broadcast.ts), so a change to the state machine that the model
 * does not know of fails that row instead of leaving the extrapolation wrong.
 *
 * Billed transitions, no retries: the execution's own states (the plan, the Distributed Map, the summary)
 * and one task state in each batch's child execution.
 */
const PARENT_TRANSITIONS = 3;

export function broadcastTransitions(channels: number, batchSize: number): number {
  return PARENT_TRANSITIONS + Math.ceil(channels / batchSize);
}

/**
 * The budget per channel, fixed rather than read off the model, so that a smaller batch or a state added
 * per batch goes over: 13 transitions for 500 channels today (0.026 a channel), falling as the plan and
 * the summary are shared by more channels. At $0.025 per 1,000 transitions that is under $0.001 per
 * 1,000 channels; the budget is about keeping one state per batch, not about the money.
 */
export const TRANSITIONS_PER_CHANNEL_BUDGET = 0.03;
