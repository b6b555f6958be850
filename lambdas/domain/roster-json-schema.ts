// From zod/mini, as the schema is: importing classic zod here would put it back in every bundle that has this.
import { toJSONSchema } from 'zod/mini';
import { RosterSchema } from './roster.ts';

/**
 * The roster format as JSON Schema (config/roster.schema.json), generated from the zod schema so the two
 * cannot drift. Cross-references (owners exist, backups in their region) are checked by parseRoster only.
 */
export function rosterJsonSchema(): Record<string, unknown> {
  return {
    ...toJSONSchema(RosterSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'incident-comms roster',
    description:
      'Who owns which customer, who covers whom, and how each customer is reached. See docs/roster.md.',
  };
}
