import {
  PolicyError,
  RosterError,
  parsePolicyConfig,
  parseRoster,
  rosterJsonSchema,
  type PolicyConfig,
  type Roster,
} from '../../lambdas/domain/index.ts';
import { InputError, UsageError, parse, readJson, relative } from './cli-io.ts';

export const ROSTER_USAGE = `comms roster validate <file> [--json]   check a roster file; exit 1 when invalid
comms roster schema                     print the roster's JSON Schema (config/roster.schema.json)
comms roster import <file> [--policy <file>] [--table <name>]
                                        validate, then load the roster into DynamoDB (TABLE_NAME);
                                        a --policy file replaces the roster's own "policy"`;

export async function rosterCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'validate':
      return validate(rest);
    case 'schema':
      parse('comms roster schema', rest, {});
      console.log(JSON.stringify(rosterJsonSchema(), null, 2));
      return 0;
    case 'import':
      return importCommand(rest);
    case undefined:
      throw new UsageError(`comms roster: say what to do: validate, schema or import\n\n${ROSTER_USAGE}`);
    default:
      throw new UsageError(`comms roster: unknown subcommand "${sub}" (use validate, schema or import)`);
  }
}

/** Reads and validates a roster file; RosterError becomes an InputError listing every problem. */
export function loadRoster(file: string): Roster {
  const input = readJson(file, 'roster file');
  try {
    return parseRoster(input);
  } catch (error) {
    if (error instanceof RosterError) throw new InputError(`${relative(file)}: ${error.message}`);
    throw error;
  }
}

/** Reads and validates a policy file (config/policy.example.json's shape); PolicyError becomes an InputError. */
export function loadPolicy(file: string): PolicyConfig {
  const input = readJson(file, 'policy file');
  try {
    return parsePolicyConfig(input);
  } catch (error) {
    if (error instanceof PolicyError) throw new InputError(`${relative(file)}: ${error.message}`);
    throw error;
  }
}

function validate(args: string[]): number {
  const { values, positionals } = parse('comms roster validate', args, { json: { type: 'boolean' } });
  const file = single('comms roster validate', positionals);
  const input = readJson(file, 'roster file');
  let roster: Roster;
  try {
    roster = parseRoster(input);
  } catch (error) {
    if (!(error instanceof RosterError)) throw error;
    if (values.json) console.log(JSON.stringify({ valid: false, issues: error.issues }, null, 2));
    else console.error(`✗ ${relative(file)}: ${error.message}`);
    return 1;
  }
  const notes = rosterNotes(roster);
  if (values.json) {
    console.log(JSON.stringify({ valid: true, notes }, null, 2));
    return 0;
  }
  const services = Object.keys(roster.pagerdutyServices).length;
  console.log(
    `✓ ${relative(file)}: valid roster for ${roster.company.name} — ${roster.people.length} people, ` +
      `${roster.accounts.length} accounts, ${services} PagerDuty service${services === 1 ? '' : 's'}`,
  );
  for (const note of notes) console.log(`  note: ${note}`);
  return 0;
}

/** Things that are allowed but probably not meant. */
function rosterNotes(roster: Roster): string[] {
  const used = new Set(roster.accounts.flatMap((a) => a.services.map((s) => s.toLowerCase())));
  const mapped = new Set(
    Object.values(roster.pagerdutyServices)
      .flat()
      .map((s) => s.toLowerCase()),
  );
  const notes: string[] = [];
  for (const [id, services] of Object.entries(roster.pagerdutyServices)) {
    const unused = services.filter((s) => !used.has(s.toLowerCase()));
    if (unused.length > 0)
      notes.push(`pagerdutyServices.${id}: no account uses ${unused.map((s) => `"${s}"`).join(', ')}`);
  }
  const unmapped = [...used].filter((s) => !mapped.has(s));
  if (unmapped.length > 0) {
    notes.push(
      `no PagerDuty service maps to ${unmapped.map((s) => `"${s}"`).join(', ')}: only a manual declare reaches those accounts`,
    );
  }
  return notes;
}

async function importCommand(args: string[]): Promise<number> {
  const command = 'comms roster import';
  const { values, positionals } = parse(command, args, {
    table: { type: 'string' },
    policy: { type: 'string' },
  });
  const file = single(command, positionals);
  const roster = withPolicy(loadRoster(file), values.policy);
  const tableName = values.table ?? process.env.TABLE_NAME;
  if (!tableName) throw new UsageError(`${command}: give the table with --table <name> or TABLE_NAME`);
  // Imported only here: the other commands never load the AWS SDK.
  const store = await import('../../lambdas/adapters/roster-store.ts');
  // The same client settings as the Lambdas; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set.
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const client = new DynamoDBClient({});
  const dynamodb = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    const result = await store.importRoster(roster, { tableName, dynamodb });
    const policy = values.policy ? ` with the policy in ${relative(values.policy)}` : '';
    console.log(`✓ imported ${relative(file)}${policy} into table ${tableName}: ${JSON.stringify(result)}`);
    return 0;
  } catch (error) {
    const { name, message } = error as Error;
    console.error(`✗ ${command}: ${name}: ${message}`);
    return 1;
  } finally {
    client.destroy();
  }
}

/**
 * A policy kept in a file of its own goes into the roster whole, in place of the roster's `policy`: the
 * Lambdas read the policy only from the stored roster, and one source per import is easier to reason about
 * than a merge.
 */
function withPolicy(roster: Roster, file: string | undefined): Roster {
  if (file === undefined) return roster;
  // `$schema` only points an editor at a schema; it has no place inside the roster.
  const { $schema: _schema, ...policy } = loadPolicy(file);
  return { ...roster, policy };
}

function single(command: string, positionals: string[]): string {
  if (positionals.length === 0)
    throw new UsageError(`${command}: give the roster file, e.g. ${command} config/roster.example.json`);
  if (positionals.length > 1)
    throw new UsageError(
      `${command}: expected one file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  return positionals[0] ?? '';
}
