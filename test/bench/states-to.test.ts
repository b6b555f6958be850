import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { statesTo, type AslStates } from '../../bench/webhook-path.ts';

const round = async (): Promise<AslStates> =>
  JSON.parse(
    await readFile(new URL('../../statemachines/update-round.asl.json', import.meta.url), 'utf8'),
  ) as AslStates;

describe('statesTo: one iteration’s way to a state, counted on the definition', () => {
  it('finds a state in a nested processor, counting from that processor’s start', async () => {
    const definition = await round();
    // The owner's ask opens an iteration; the backup's follows it at once when the owner's time runs out
    // (the ask's Catch), which is fewer states than by way of the owner's answer and its Choice.
    expect(statesTo(definition, 'Ask the account owner to send')).toBe(1);
    expect(statesTo(definition, 'Ask the regional backup to send')).toBe(2);
  });

  it('counts top-level states from StartAt, and knows when a state is nowhere', async () => {
    const definition = await round();
    expect(statesTo(definition, 'Draft the update')).toBe(1);
    expect(statesTo(definition, 'Does the CMOC review this draft?')).toBe(2);
    expect(statesTo(definition, 'No such state')).toBeUndefined();
  });

  it('takes the fewest states when two ways lead to the same state', () => {
    const definition: AslStates = {
      StartAt: 'A',
      States: {
        A: { Choices: [{ Next: 'C' }], Default: 'B' },
        B: { Next: 'C' },
        C: {},
      },
    };
    expect(statesTo(definition, 'C')).toBe(2);
  });
});
