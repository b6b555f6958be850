import type { ValidationIssue } from './errors.ts';
import type { RegionId, Roster } from './roster.ts';

/**
 * Checks the schema cannot express: references between people, accounts and regions, and facts the
 * workflow relies on (every account reachable, PTO ranges that make sense). Each message names the record.
 */
export function crossReferenceIssues(roster: Roster): ValidationIssue[] {
  return [...peopleIssues(roster), ...accountIssues(roster), ...regionIssues(roster)];
}

const label = (list: 'people' | 'accounts', index: number, id: string) => `${list}[${index}] (id "${id}")`;

function peopleIssues(roster: Roster): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seenIds = new Map<string, number>();
  const seenSlack = new Map<string, number>();
  const seenPagerDuty = new Map<string, number>();
  roster.people.forEach((person, i) => {
    const who = label('people', i, person.id);
    const firstId = seenIds.get(person.id);
    if (firstId !== undefined) {
      out.push({
        path: `people[${i}].id`,
        message: `${who}: id "${person.id}" is also used by people[${firstId}]`,
      });
    } else seenIds.set(person.id, i);
    const firstSlack = seenSlack.get(person.slackUserId);
    if (firstSlack !== undefined) {
      const other = roster.people[firstSlack]?.id ?? '';
      out.push({
        path: `people[${i}].slackUserId`,
        message: `${who}: slackUserId "${person.slackUserId}" is also used by ${label('people', firstSlack, other)}`,
      });
    } else seenSlack.set(person.slackUserId, i);
    // One PagerDuty user is one person, or an assignee could name either as the engineering lead.
    if (person.pagerdutyUserId !== undefined) {
      const firstPagerDuty = seenPagerDuty.get(person.pagerdutyUserId);
      if (firstPagerDuty !== undefined) {
        const other = roster.people[firstPagerDuty]?.id ?? '';
        out.push({
          path: `people[${i}].pagerdutyUserId`,
          message: `${who}: pagerdutyUserId "${person.pagerdutyUserId}" is also used by ${label('people', firstPagerDuty, other)}`,
        });
      } else seenPagerDuty.set(person.pagerdutyUserId, i);
    }
    person.pto.forEach((range, j) => {
      for (const end of ['from', 'to'] as const) {
        if (!isCalendarDate(range[end])) {
          out.push({
            path: `people[${i}].pto[${j}].${end}`,
            message: `${who}: pto[${j}].${end} "${range[end]}" is not a calendar date`,
          });
        }
      }
      if (range.from > range.to) {
        out.push({
          path: `people[${i}].pto[${j}]`,
          message: `${who}: pto[${j}] ends before it starts (from ${range.from} to ${range.to})`,
        });
      }
    });
  });
  return out;
}

function accountIssues(roster: Roster): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const people = new Set(roster.people.map((p) => p.id));
  const seen = new Map<string, number>();
  roster.accounts.forEach((account, i) => {
    const which = label('accounts', i, account.id);
    const first = seen.get(account.id);
    if (first !== undefined) {
      out.push({
        path: `accounts[${i}].id`,
        message: `${which}: id "${account.id}" is also used by accounts[${first}]`,
      });
    } else seen.set(account.id, i);
    if (!people.has(account.ownerId)) {
      out.push({
        path: `accounts[${i}].ownerId`,
        message: `${which}: ownerId "${account.ownerId}" is not a person in people[]`,
      });
    }
    if (!account.slackChannelId && account.emails.length === 0 && account.smsNumbers.length === 0) {
      out.push({
        path: `accounts[${i}]`,
        message: `${which}: has no way to reach the customer; set slackChannelId, emails or smsNumbers`,
      });
    }
    // The handbook keeps SMS for high-touch accounts; a number on any other account would never be used.
    if (account.smsNumbers.length > 0 && account.tier !== 'high-touch') {
      out.push({
        path: `accounts[${i}].smsNumbers`,
        message: `${which}: smsNumbers are only used for high-touch accounts; set tier "high-touch" or remove them`,
      });
    }
  });
  return out;
}

function regionIssues(roster: Roster): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const byId = new Map(roster.people.map((p, i) => [p.id, { person: p, index: i }]));
  // Keys of the parsed object, not REGIONS: importing a value from roster.ts would make a cycle.
  for (const region of Object.keys(roster.regions) as RegionId[]) {
    for (const list of ['backups', 'cmoc'] as const) {
      const ids = roster.regions[region][list];
      ids.forEach((id, k) => {
        const path = `regions.${region}.${list}[${k}]`;
        const found = byId.get(id);
        if (!found) {
          out.push({ path, message: `regions.${region}: ${list}[${k}] "${id}" is not a person in people[]` });
        } else if (found.person.region !== region) {
          out.push({
            path,
            message:
              `regions.${region}: ${list}[${k}] "${id}" is in region "${found.person.region}" ` +
              `(people[${found.index}]); list them under regions.${found.person.region}.${list} or change their region`,
          });
        }
        if (ids.indexOf(id) !== k) {
          out.push({ path, message: `regions.${region}: ${list}[${k}] "${id}" is listed twice` });
        }
      });
    }
  }
  return out;
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
