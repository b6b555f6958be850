import type { RosterInput } from '../lambdas/domain/roster.ts';

/**
 * The workflow benchmarks' company: 500 accounts owned by 50 owners spread over the three regions, five
 * regional backups and two CMOCs per region, working hours by region. Every account uses "ingestion"
 * (PagerDuty service PSVC001 of the example events); one extra account uses "solo", for the 72-hour run
 * whose parent history does not depend on how many accounts a round reaches.
 */
export const OWNERS = 50;
export const ACCOUNTS = 500;

const REGIONS = [
  ['americas', 'America/New_York'],
  ['emea', 'Europe/London'],
  ['apac', 'Asia/Tokyo'],
] as const;

/** The company; `accounts` and `owners` make a smaller one of the same shape (a scenario test's). */
export function benchRoster(accounts = ACCOUNTS, owners = OWNERS): RosterInput {
  const people: RosterInput['people'] = [];
  const add = (id: string, r: number) =>
    people.push({
      id,
      name: `${id.replace(/-/g, ' ')} Person`,
      slackUserId: `U0B${String(people.length + 1).padStart(5, '0')}`,
      email: `${id}@bench.example`,
      region: REGIONS[r]![0],
      timeZone: REGIONS[r]![1],
    });
  for (let i = 0; i < owners; i++) add(`owner-${i + 1}`, i % 3);
  const regions = Object.fromEntries(
    REGIONS.map(([region, timeZone], r) => {
      const backups = Array.from({ length: 5 }, (_, i) => `backup-${region}-${i + 1}`);
      const cmoc = Array.from({ length: 2 }, (_, i) => `cmoc-${region}-${i + 1}`);
      for (const id of [...backups, ...cmoc]) add(id, r);
      return [
        region,
        {
          timeZone,
          workingHours: { start: '09:00', end: '17:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
          backups,
          cmoc,
        },
      ];
    }),
  ) as unknown as RosterInput['regions'];
  const customers: RosterInput['accounts'] = Array.from({ length: accounts }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const highTouch = i % 10 === 0;
    return {
      id: `acct-${n}`,
      name: `Customer ${n}`,
      ownerId: `owner-${(i % owners) + 1}`,
      services: ['ingestion'],
      slackChannelId: `CACCT${n}`,
      emails: [`ops-${n}@customer.example`],
      ...(highTouch ? { tier: 'high-touch' as const, smsNumbers: [`+1415555${n}`] } : {}),
    };
  });
  customers.push({
    id: 'solo',
    name: 'Solo Customer',
    ownerId: 'owner-1',
    services: ['solo'],
    slackChannelId: 'CSOLO0001',
    emails: ['ops@solo.example'],
  });
  return {
    company: { name: 'Bench Analytics' },
    regions,
    people,
    accounts: customers,
    pagerdutyServices: { PSVC001: ['ingestion'] },
  };
}
