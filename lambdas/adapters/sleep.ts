/** A timer as a promise; never negative. Kept apart so pure code never needs one. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
