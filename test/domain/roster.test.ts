import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../support/roster-issues.ts';
import {
  affectedAccounts,
  ownersOf,
  parseRoster,
  rosterJsonSchema,
  servicesForPagerDuty,
  type RosterError,
} from '../../lambdas/domain/index.ts';

const EXAMPLE: unknown = JSON.parse(readFileSync('config/roster.example.json', 'utf8'));

describe('config/roster.example.json', () => {
  const roster = parseRoster(EXAMPLE);

  it('is valid and realistic: three regions, ~10 people, ~16 accounts', () => {
    expect(roster.company.name).toBe('Example Analytics');
    expect(roster.people).toHaveLength(10);
    expect(roster.accounts).toHaveLength(16);
    expect(new Set(roster.people.map((p) => p.region))).toEqual(new Set(['americas', 'emea', 'apac']));
    expect(
      roster.accounts.filter((a) => a.tier === 'high-touch' && a.smsNumbers.length > 0).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('PagerDuty PSVC001 reaches at least 3 accounts of at least 2 owners (the end-to-end tests rely on it)', () => {
    const accounts = affectedAccounts(roster, { services: servicesForPagerDuty(roster, 'PSVC001') });
    expect(accounts.length).toBeGreaterThanOrEqual(3);
    expect(ownersOf(accounts).size).toBeGreaterThanOrEqual(2);
  });

  it('matches config/roster.schema.json (regenerate with: npx comms roster schema > config/roster.schema.json)', () => {
    const committed = JSON.parse(readFileSync('config/roster.schema.json', 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(rosterJsonSchema())));
  });
});

/** An edit to the example: a path into the JSON and the value to put there (`DELETE` removes it). */
const DELETE = Symbol('delete');
type Edit = [path: (string | number)[], value: unknown];

function edited(edits: Edit[]): unknown {
  const input = structuredClone(EXAMPLE) as Record<string | number, unknown>;
  for (const [path, value] of edits) {
    const parent = path
      .slice(0, -1)
      .reduce<Record<string | number, unknown>>(
        (node, key) => node[key] as Record<string | number, unknown>,
        input,
      );
    const last = path.at(-1) ?? '';
    if (value === DELETE) delete parent[last];
    else parent[last] = value;
  }
  return input;
}

describe('validation names the record and the field', () => {
  it('an owner who is not a person', () => {
    expect(issuesOf(edited([[['accounts', 3, 'ownerId'], 'zed']]))).toEqual([
      {
        path: 'accounts[3].ownerId',
        message: 'accounts[3] (id "nimbus-crm"): ownerId "zed" is not a person in people[]',
      },
    ]);
  });

  it.each<[string, Edit[], string, RegExp]>([
    [
      'a missing field',
      [[['people', 1, 'email'], DELETE]],
      'people[1].email',
      /^people\[1\] \(id "marcus"\): email is required$/,
    ],
    [
      'a bad Slack user id',
      [[['people', 0, 'slackUserId'], 'ada']],
      'people[0].slackUserId',
      /people\[0\] \(id "ada"\): slackUserId must be a Slack user id such as U012ABCDEF \(got "ada"\)/,
    ],
    [
      'a bad Slack channel id',
      [[['accounts', 0, 'slackChannelId'], '#acme']],
      'accounts[0].slackChannelId',
      /accounts\[0\] \(id "acme-rockets"\): slackChannelId must be a Slack channel id/,
    ],
    [
      'a time zone that does not exist',
      [[['people', 2, 'timeZone'], 'Mars/Olympus']],
      'people[2].timeZone',
      /\(id "lena"\): timeZone must be an IANA time zone .*\(got "Mars\/Olympus"\)/,
    ],
    [
      'a bad email',
      [[['accounts', 1, 'emails'], ['nope']]],
      'accounts[1].emails[0]',
      /\(id "bluebird-health"\): emails\[0\] must be an email address \(got "nope"\)/,
    ],
    [
      'a phone number not in E.164',
      [[['accounts', 0, 'smsNumbers'], ['555-0101']]],
      'accounts[0].smsNumbers[0]',
      /smsNumbers\[0\] must be an E.164 number/,
    ],
    [
      'an unknown region',
      [[['people', 0, 'region'], 'mars']],
      'people[0].region',
      /region must be one of "americas", "emea", "apac" \(got "mars"\)/,
    ],
    [
      'a working-hours typo',
      [[['regions', 'emea', 'workingHours', 'start'], '9am']],
      'regions.emea.workingHours.start',
      /^regions\.emea\.workingHours\.start must be a time as HH:MM/,
    ],
    [
      'a misspelt field',
      [[['accounts', 2, 'owner'], 'ada']],
      'accounts[2]',
      /accounts\[2\] \(id "corvid-games"\): has unknown field "owner"/,
    ],
    [
      'a duplicate person id',
      [[['people', 1, 'id'], 'ada']],
      'people[1].id',
      /people\[1\] \(id "ada"\): id "ada" is also used by people\[0\]/,
    ],
    [
      'a duplicate Slack user',
      [[['people', 1, 'slackUserId'], 'U0AMER01']],
      'people[1].slackUserId',
      /slackUserId "U0AMER01" is also used by people\[0\] \(id "ada"\)/,
    ],
    [
      'a duplicate account id',
      [[['accounts', 1, 'id'], 'acme-rockets']],
      'accounts[1].id',
      /accounts\[1\] \(id "acme-rockets"\): id "acme-rockets" is also used by accounts\[0\]/,
    ],
    [
      'PTO that ends before it starts',
      [[['people', 0, 'pto'], [{ from: '2026-12-10', to: '2026-12-01' }]]],
      'people[0].pto[0]',
      /\(id "ada"\): pto\[0\] ends before it starts \(from 2026-12-10 to 2026-12-01\)/,
    ],
    [
      'a PTO date not in the calendar',
      [[['people', 0, 'pto'], [{ from: '2026-02-30', to: '2026-03-02' }]]],
      'people[0].pto[0].from',
      /pto\[0\].from "2026-02-30" is not a calendar date/,
    ],
    [
      'an account nobody can reach',
      [
        [['accounts', 1, 'slackChannelId'], DELETE],
        [['accounts', 1, 'emails'], []],
      ],
      'accounts[1]',
      /\(id "bluebird-health"\): has no way to reach the customer; set slackChannelId, emails or smsNumbers/,
    ],
    [
      'SMS on a standard account',
      [[['accounts', 1, 'smsNumbers'], ['+15555550199']]],
      'accounts[1].smsNumbers',
      /smsNumbers are only used for high-touch accounts/,
    ],
    [
      'a backup who is not a person',
      [
        [
          ['regions', 'emea', 'backups'],
          ['sofia', 'zed'],
        ],
      ],
      'regions.emea.backups[1]',
      /^regions\.emea: backups\[1\] "zed" is not a person in people\[\]$/,
    ],
    [
      'a CMOC from another region',
      [
        [
          ['regions', 'apac', 'cmoc'],
          ['liam', 'ada'],
        ],
      ],
      'regions.apac.cmoc[1]',
      /regions\.apac: cmoc\[1\] "ada" is in region "americas" \(people\[0\]\)/,
    ],
    [
      'a backup listed twice',
      [
        [
          ['regions', 'americas', 'backups'],
          ['marcus', 'marcus'],
        ],
      ],
      'regions.americas.backups[1]',
      /"marcus" is listed twice/,
    ],
    [
      'an empty rota',
      [[['regions', 'apac', 'cmoc'], []]],
      'regions.apac.cmoc',
      /^regions\.apac\.cmoc needs at least 1 entry$/,
    ],
    [
      'a PagerDuty service mapped to nothing',
      [[['pagerdutyServices', 'PSVC009'], []]],
      'pagerdutyServices.PSVC009',
      /pagerdutyServices\.PSVC009 needs at least 1 entry/,
    ],
  ])('%s', (_, edits, path, message) => {
    const issues = issuesOf(edited(edits));
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues, null, 2)).toBeDefined();
    expect(issue?.message).toMatch(message);
  });

  it('reports every problem at once, and the error message lists them', () => {
    const input = edited([
      [['accounts', 0, 'ownerId'], 'nobody'],
      [['accounts', 5, 'ownerId'], 'nobody-else'],
      [['people', 4, 'pto'], [{ from: '2027-01-02', to: '2027-01-01' }]],
    ]);
    let error: RosterError | undefined;
    try {
      parseRoster(input);
    } catch (caught) {
      error = caught as RosterError;
    }
    expect(error?.issues).toHaveLength(3);
    expect(error?.message).toMatch(/^Roster is invalid \(3 problems\):\n {2}- people\[4\] \(id "ines"\)/);
    expect(error?.message).toContain('accounts[5] (id "meridian-pay"): ownerId "nobody-else"');
  });

  it('eight problems of every kind, schema and cross-reference, all in one run', () => {
    const slackOfInes = (EXAMPLE as { people: { slackUserId: string }[] }).people[4]?.slackUserId;
    const issues = issuesOf(
      edited([
        // The schema's: a format, an email inside a list, an unknown field, a time.
        [['people', 2, 'timeZone'], 'Mars/Olympus'],
        [['accounts', 3, 'emails'], ['not-an-email']],
        [['people', 6, 'nickname'], 'Sof'],
        [['regions', 'apac', 'workingHours', 'start'], '25:00'],
        // The cross-references', some in the very records the schema refused.
        [['accounts', 3, 'ownerId'], 'zed'],
        [['people', 6, 'slackUserId'], slackOfInes],
        [
          ['regions', 'emea', 'backups'],
          ['sofia', 'ines', 'kenji'],
        ],
        [['accounts', 1, 'smsNumbers'], ['+15555550199']],
      ]),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'people[2].timeZone',
        'accounts[3].emails[0]',
        'people[6]',
        'regions.apac.workingHours.start',
        'accounts[3].ownerId',
        'people[6].slackUserId',
        'regions.emea.backups[2]',
        'accounts[1].smsNumbers',
      ].sort(),
    );
    expect(issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        'accounts[3] (id "nimbus-crm"): ownerId "zed" is not a person in people[]',
        expect.stringMatching(
          /^people\[6\] \(id "sofia"\): slackUserId "\w+" is also used by people\[4\] \(id "ines"\)$/,
        ),
        expect.stringMatching(/^regions\.emea: backups\[2\] "kenji" is in region "apac"/),
        expect.stringMatching(/^people\[6\] \(id "sofia"\): has unknown field "nickname"/),
      ]),
    );
  });

  it('a record the schema refuses is not reported again by the cross-reference checks', () => {
    const issues = issuesOf(
      edited([
        // Unreachable only because the channel is malformed: one problem, the channel.
        [['accounts', 2, 'slackChannelId'], 'general'],
        [['accounts', 2, 'emails'], []],
        // A PTO date that is not a date at all is the schema's to report, not also "not a calendar date".
        [['people', 1, 'pto'], [{ from: 'soon', to: '2026-01-02' }]],
        // An owner id that is not an id is reported once, as not an id.
        [['accounts', 5, 'ownerId'], 'Lena Park'],
      ]),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['accounts[2].slackChannelId', 'accounts[5].ownerId', 'people[1].pto[0].from'].sort(),
    );
  });

  it('a roster that is not an object at all', () => {
    expect(issuesOf(null)).toEqual([{ path: '', message: 'roster must be an object (got null)' }]);
  });
});
