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

/**
 * A field whose values must be unique across a list: remembers the first record with each value and
 * gives the issue for a later one that uses it again (naming the first).
 */
function firstUse(
  list: 'people' | 'accounts',
  field: string,
  records: readonly ({ id?: string | undefined } | undefined)[],
): (index: number, value: string | undefined, who: string) => ValidationIssue | undefined {
  const seen = new Map<string, number>();
  return (index, value, who) => {
    if (value === undefined) return undefined;
    const first = seen.get(value);
    if (first === undefined) {
      seen.set(value, index);
      return undefined;
    }
    // The same id names nothing new about the first record; any other field names it by its id.
    const other = field === 'id' ? `${list}[${first}]` : label(list, first, records[first]?.id);
    return {
      path: `${list}[${index}].${field}`,
      message: `${who}: ${field} "${value}" is also used by ${other}`,
    };
  };
}

function peopleIssues(roster: RosterDraft): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const people = roster.people ?? [];
  const sameId = firstUse('people', 'id', people);
  const sameSlack = firstUse('people', 'slackUserId', people);
  // One PagerDuty user is one person, or an assignee could name either as the engineering lead.
  const samePagerDuty = firstUse('people', 'pagerdutyUserId', people);
  people.forEach((person, i) => {
    if (!person) return;
    const who = label('people', i, person.id);
    for (const issue of [
      sameId(i, person.id, who),
      sameSlack(i, person.slackUserId, who),
      samePagerDuty(i, person.pagerdutyUserId, who),
    ])
      if (issue) out.push(issue);
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
  const sameId = firstUse('accounts', 'id', roster.accounts ?? []);
  roster.accounts?.forEach((account, i) => {
    if (!account) return;
    const which = label('accounts', i, account.id);
    const duplicate = sameId(i, account.id, which);
    if (duplicate) out.push(duplicate);
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
