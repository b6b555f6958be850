import { firstBroadcastAfterStart } from './broadcast.ts';
import { printResultAndExit } from './child-process.ts';

/**
 * One first broadcast after start, in a process of its own (bench/broadcast.ts takes the median of
 * several): its world starts cold, as `npm start` does, so the sample is not warmed by an earlier one.
 */
printResultAndExit(firstBroadcastAfterStart());
