import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RosterInput } from '../../lambdas/domain/roster.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** config/roster.example.json, read afresh: a test may change its copy. */
export function exampleRoster(): RosterInput {
  return JSON.parse(readFileSync(path.join(root, 'config', 'roster.example.json'), 'utf8')) as RosterInput;
}

type AccountInput = RosterInput['accounts'][number];

/**
 * The example roster plus `count` accounts owned by `ownerId`, each with its own Slack channel and email,
 * and SMS for every third (high-touch). They use only `service`, so a test incident on it reaches exactly
 * these accounts.
 */
export function rosterWithAccounts(
  count: number,
  options: { ownerId?: string; service?: string; prefix?: string; extra?: Partial<AccountInput> } = {},
): RosterInput {
  const roster = exampleRoster();
  const ownerId = options.ownerId ?? 'ada';
  const service = options.service ?? 'exports';
  const prefix = options.prefix ?? 'T';
  const accounts: AccountInput[] = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const highTouch = i % 3 === 0;
    return {
      id: `${prefix.toLowerCase()}-acct-${n}`,
      name: `Test Account ${prefix}${n}`,
      ownerId,
      tier: highTouch ? 'high-touch' : 'standard',
      services: [service],
      slackChannelId: `C${prefix}${n}X`,
      emails: [`ops-${prefix.toLowerCase()}${n}@customer.example`],
      smsNumbers: highTouch ? [`+1555${String(7000000 + i)}`] : [],
      ...options.extra,
    };
  });
  return { ...roster, accounts: [...roster.accounts, ...accounts] };
}
