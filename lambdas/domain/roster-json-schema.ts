// A namespace import lets esbuild drop the parts of zod we don't use (the named `z` export keeps all of it).
import * as z from 'zod';
import { RosterSchema } from './roster.ts';

/**
 * The roster format as JSON Schema (config/roster.schema.json), generated from the zod schema so the two
 * cannot drift. Cross-references (owners exist, backups in their region) are checked by parseRoster only.
 */
export function rosterJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(RosterSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'incident-comms roster',
    description:
      'Who owns which customer, who covers whom, and how each customer is reached. See docs/roster.md.',
  };
}
