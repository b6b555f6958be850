import type { ValidationIssue } from './errors.ts';
import type { Pto } from './roster.ts';

/**
 * What the cross-reference checks read: a parsed roster, or as much of an invalid one as passed the
 * schema, so a roster with schema errors still gets every other problem named in the same run. A field
 * that is absent here failed its own check (or the record did) and is not checked again; `invalid` lists
 * such fields where their absence would otherwise read as "not set". A parsed Roster is one of these.
 */
export interface PersonDraft {
  /** As written, even when it is not a valid id: accounts and rotas still refer to the person by it. */
  id?: string | undefined;
  slackUserId?: string | undefined;
  pagerdutyUserId?: string | undefined;
  region?: string | undefined;
  pto?: readonly (Pto | undefined)[] | undefined;
}
export interface AccountDraft {
  /** As written, like a person's: the record is named by it. */
  id?: string | undefined;
  ownerId?: string | undefined;
  tier?: string | undefined;
  slackChannelId?: string | undefined;
  emails?: readonly string[] | undefined;
  smsNumbers?: readonly string[] | undefined;
  invalid?: readonly string[];
}
export interface RegionDraft {
  backups?: readonly (string | undefined)[] | undefined;
  cmoc?: readonly (string | undefined)[] | undefined;
}
export interface RosterDraft {
  /** Absent when `people` is not a list at all: then no reference to a person can be judged. */
  people?: readonly (PersonDraft | undefined)[] | undefined;
  accounts?: readonly (AccountDraft | undefined)[] | undefined;
  regions?: Partial<Record<string, RegionDraft | undefined>> | undefined;
}

/**
 * Checks the schema cannot express: references between people, accounts and regions, and facts the
 * workflow relies on (every account reachable, PTO ranges that make sense). Each message names the record.
 */
export function crossReferenceIssues(roster: RosterDraft): ValidationIssue[] {
  return [...peopleIssues(roster), ...accountIssues(roster), ...regionIssues(roster)];
}

const label = (list: 'people' | 'accounts', index: number, id: string | undefined) =>
  id === undefined ? `${list}[${index}]` : `${list}[${index}] (id "${id}")`;

function peopleIssues(roster: RosterDraft): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seenIds = new Map<string, number>();
  const seenSlack = new Map<string, number>();
  const seenPagerDuty = new Map<string, number>();
  const people = roster.people ?? [];
  people.forEach((person, i) => {
    if (!person) return;
    const who = label('people', i, person.id);
    const firstId = person.id === undefined ? undefined : seenIds.get(person.id);
    if (firstId !== undefined) {
      out.push({
        path: `people[${i}].id`,
        message: `${who}: id "${person.id}" is also used by people[${firstId}]`,
      });
    } else if (person.id !== undefined) seenIds.set(person.id, i);
    const firstSlack = person.slackUserId === undefined ? undefined : seenSlack.get(person.slackUserId);
    if (firstSlack !== undefined) {
      const other = people[firstSlack]?.id;
      out.push({
        path: `people[${i}].slackUserId`,
        message: `${who}: slackUserId "${person.slackUserId}" is also used by ${label('people', firstSlack, other)}`,
      });
    } else if (person.slackUserId !== undefined) seenSlack.set(person.slackUserId, i);
    // One PagerDuty user is one person, or an assignee could name either as the engineering lead.
    if (person.pagerdutyUserId !== undefined) {
      const firstPagerDuty = seenPagerDuty.get(person.pagerdutyUserId);
      if (firstPagerDuty !== undefined) {
        const other = people[firstPagerDuty]?.id;
        out.push({
          path: `people[${i}].pagerdutyUserId`,
          message: `${who}: pagerdutyUserId "${person.pagerdutyUserId}" is also used by ${label('people', firstPagerDuty, other)}`,
        });
      } else seenPagerDuty.set(person.pagerdutyUserId, i);
    }
    person.pto?.forEach((range, j) => {
      if (!range) return;
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

function accountIssues(roster: RosterDraft): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const people = roster.people && new Set(roster.people.map((p) => p?.id));
  const seen = new Map<string, number>();
  roster.accounts?.forEach((account, i) => {
    if (!account) return;
    const which = label('accounts', i, account.id);
    const first = account.id === undefined ? undefined : seen.get(account.id);
    if (first !== undefined) {
      out.push({
        path: `accounts[${i}].id`,
        message: `${which}: id "${account.id}" is also used by accounts[${first}]`,
      });
    } else if (account.id !== undefined) seen.set(account.id, i);
    if (people && account.ownerId !== undefined && !people.has(account.ownerId)) {
      out.push({
        path: `accounts[${i}].ownerId`,
        message: `${which}: ownerId "${account.ownerId}" is not a person in people[]`,
      });
    }
    const contactsKnown =
      account.emails !== undefined &&
      account.smsNumbers !== undefined &&
      !account.invalid?.includes('slackChannelId');
    if (
      contactsKnown &&
      !account.slackChannelId &&
      account.emails?.length === 0 &&
      account.smsNumbers?.length === 0
    ) {
      out.push({
        path: `accounts[${i}]`,
        message: `${which}: has no way to reach the customer; set slackChannelId, emails or smsNumbers`,
      });
    }
    // The handbook keeps SMS for high-touch accounts; a number on any other account would never be used.
    if (account.smsNumbers?.length && account.tier !== undefined && account.tier !== 'high-touch') {
      out.push({
        path: `accounts[${i}].smsNumbers`,
        message: `${which}: smsNumbers are only used for high-touch accounts; set tier "high-touch" or remove them`,
      });
    }
  });
  return out;
}

function regionIssues(roster: RosterDraft): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const { people } = roster;
  const byId = new Map(people?.map((p, i) => [p?.id, { person: p, index: i }]));
  // Keys of the parsed object, not REGIONS: importing a value from roster.ts would make a cycle.
  for (const [region, lists] of Object.entries(roster.regions ?? {})) {
    for (const list of ['backups', 'cmoc'] as const) {
      const ids = lists?.[list] ?? [];
      ids.forEach((id, k) => {
        if (id === undefined) return;
        const path = `regions.${region}.${list}[${k}]`;
        const found = byId.get(id);
        if (!found) {
          if (people)
            out.push({
              path,
              message: `regions.${region}: ${list}[${k}] "${id}" is not a person in people[]`,
            });
        } else if (found.person?.region !== undefined && found.person.region !== region) {
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
