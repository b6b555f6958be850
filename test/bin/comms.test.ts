import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comms, commsAsync } from '../support/run-comms.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadRoster as loadStoredRoster } from '../../lambdas/adapters/roster-store.ts';
import { parseRoster, type RosterInput } from '../../lambdas/domain/index.ts';
import { startDynamo } from '../../local/dynamodb.ts';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Asserts the exit code and that stderr says `text`. */
function expectFailure(result: ReturnType<typeof comms>, code: number, text: string) {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toContain(text);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'comms-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, value: unknown) => {
  const file = path.join(tmp, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};
const exampleRoster = () => JSON.parse(readFileSync('config/roster.example.json', 'utf8')) as RosterInput;

describe('comms roster', () => {
  it('validate: the example roster is valid', () => {
    const { code, stdout } = comms(['roster', 'validate', 'config/roster.example.json']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'valid roster for Example Analytics — 10 people, 16 accounts, 6 PagerDuty services',
    );
  });

  it('validate: an invalid roster lists each problem with its record and field, exit 1', () => {
    const roster = exampleRoster();
    roster.accounts[3]!.ownerId = 'zed';
    roster.people[0]!.timeZone = 'Mars/Olympus';
    const { code, stderr } = comms(['roster', 'validate', write('bad-roster.json', roster)]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'people[0] (id "ada"): timeZone must be an IANA time zone such as Europe/London (got "Mars/Olympus")',
    );
    const json = comms([
      'roster',
      'validate',
      '--json',
      write('bad-roster2.json', { ...roster, people: roster.people.slice(1) }),
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false });
  });

  it('validate: eight planted problems, schema and cross-reference alike, are all reported in one run', () => {
    const roster = exampleRoster();
    const [people, accounts] = [roster.people, roster.accounts];
    people[2]!.timeZone = 'Mars/Olympus';
    accounts[3]!.emails = ['not-an-email'];
    (people[6] as Record<string, unknown>).nickname = 'Sof';
    roster.regions.apac.workingHours.start = '25:00';
    accounts[3]!.ownerId = 'zed';
    people[6]!.slackUserId = people[4]!.slackUserId;
    roster.regions.emea.backups = ['sofia', 'ines', 'kenji'];
    accounts[1]!.smsNumbers = ['+15555550199'];
    const file = write('eight-problems.json', roster);

    const json = comms(['roster', 'validate', '--json', file]);
    expect(json.code).toBe(1);
    const { issues } = JSON.parse(json.stdout) as { issues: { path: string }[] };
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'accounts[1].smsNumbers',
        'accounts[3].emails[0]',
        'accounts[3].ownerId',
        'people[2].timeZone',
        'people[6]',
        'people[6].slackUserId',
        'regions.apac.workingHours.start',
        'regions.emea.backups[2]',
      ].sort(),
    );
    const text = comms(['roster', 'validate', file]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('Roster is invalid (8 problems)');
  });

  it('validate: broken JSON is exit 1 with the parser’s message; so is a missing file, saying so', () => {
    const broken = comms(['roster', 'validate', write('broken.json', '{ "company": ')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/is not valid JSON/);
    const missing = comms(['roster', 'validate', path.join(tmp, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/roster file ".*nope\.json" does not exist/);
  });

  it('schema prints what config/roster.schema.json holds', () => {
    const { code, stdout } = comms(['roster', 'schema']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(readFileSync('config/roster.schema.json', 'utf8')));
  });

  it('import without a table is a usage error', () => {
    expectFailure(
      comms(['roster', 'import', 'config/roster.example.json']),
      2,
      '--table <name> or TABLE_NAME',
    );
  });

  it('import loads the roster into DynamoDB (dynalite), where the Lambdas read it back', async () => {
    const dynamo = await startDynamo({ tableName: 'comms-cli-test' });
    const client = new DynamoDBClient({
      endpoint: dynamo.url,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      const result = await commsAsync(
        ['roster', 'import', 'config/roster.example.json', '--table', 'comms-cli-test'],
        {
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('"people":10,"accounts":16');
      const stored = await loadStoredRoster({
        tableName: 'comms-cli-test',
        dynamodb: DynamoDBDocumentClient.from(client),
      });
      // The store keeps one item per person and account, read back in key order, not file order.
      const byId = <T extends { id: string }>(list: T[]) =>
        [...list].sort((x, y) => x.id.localeCompare(y.id));
      const expected = parseRoster(exampleRoster());
      expect({ ...stored, people: byId(stored.people), accounts: byId(stored.accounts) }).toEqual({
        ...expected,
        people: byId(expected.people),
        accounts: byId(expected.accounts),
      });
    } finally {
      client.destroy();
      await dynamo.close();
    }
  });
});

describe('comms tone', () => {
  it('flags the handbook’s Avoid wording, exit 1', () => {
    const { code, stdout } = comms(['tone', 'We are experiencing an issue affecting a subset of users.']);
    expect(code).toBe(1);
    expect(stdout).toContain('“experiencing an issue”');
    expect(stdout).toContain('try: “Event ingestion is paused.”');
  });

  it('passes plain English, exit 0; reads stdin with -', () => {
    expect(comms(['tone', 'Dashboards might not update.'])).toMatchObject({
      code: 0,
      stdout: '✓ No tone findings.\n',
    });
    expect(comms(['tone', '-'], 'Event ingestion is paused.\n')).toMatchObject({ code: 0 });
  });

  it('--json gives the findings; --severity adds the cadence rule', () => {
    const { code, stdout } = comms(['tone', '--json', '--severity', 'SEV1', 'Event ingestion is paused.']);
    expect(code).toBe(1);
    const findings = JSON.parse(stdout) as { rule: string }[];
    expect(findings.map((f) => f.rule)).toEqual(['no-next-update']);
  });

  it('usage errors are precise, exit 2', () => {
    expectFailure(comms(['tone']), 2, 'give the text to check');
    expectFailure(
      comms(['tone', '--severity', 'SEV9', 'x']),
      2,
      '--severity must be one of SEV1, SEV2, SEV3, SEV4 (got "SEV9")',
    );
    expectFailure(comms(['tone', '--loud', 'x']), 2, "Unknown option '--loud'");
  });
});

describe('comms preview', () => {
  it('renders the Critical email with its subject and a clean tone check', () => {
    const { code, stdout } = comms([
      'preview',
      '--severity',
      'SEV1',
      '--phase',
      'initial',
      '--channel',
      'email',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Subject: Example Analytics Outage – We’re investigating');
    expect(stdout).toContain('— Ada Okafor, Example Analytics');
    expect(stdout).toContain('✓ No tone findings.');
  });

  it('renders SMS with its size, and JSON for scripts', () => {
    expect(comms(['preview', '--severity', 'SEV2', '--phase', 'update', '--channel', 'sms']).stdout).toMatch(
      /\d+ characters, 1 segment\(s\), GSM-7/,
    );
    const json = JSON.parse(
      comms(['preview', '--severity', 'SEV1', '--phase', 'resolution', '--channel', 'slack', '--json'])
        .stdout,
    ) as { channel: string; template: string; blocks: unknown[] };
    expect(json).toMatchObject({ channel: 'slack', template: 'critical-resolution' });
    expect(json.blocks.length).toBeGreaterThan(0);
  });

  it('renders from a PagerDuty event file', () => {
    const { code, stdout } = comms([
      'preview',
      '--incident',
      'config/examples/pagerduty-incident-triggered.json',
      '--channel',
      'slack',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Here’s what we know so far: Event ingestion halted in the US region.');
  });

  it('a message that cannot be completed is refused, exit 1', () => {
    const facts = write('no-link.json', {
      id: 'X',
      title: 'T',
      severity: 'SEV1',
      services: ['ingestion'],
      startedAt: '2026-11-05T15:10:00Z',
    });
    const { code, stderr } = comms([
      'preview',
      '--phase',
      'postmortem',
      '--channel',
      'email',
      '--incident',
      facts,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('{incident.writeUpUrl}');
  });

  it('usage errors name the flag and the choices, exit 2', () => {
    expectFailure(
      comms(['preview', '--severity', 'SEV1', '--channel', 'fax']),
      2,
      '--channel must be one of slack, email, sms (got "fax")',
    );
    expectFailure(comms(['preview', '--phase', 'initial']), 2, 'give --severity');
  });
});

describe('comms dry-run', () => {
  it('shows who is told what, when, through which channel, and who covers whom', () => {
    const { code, stdout } = comms([
      'dry-run',
      '--incident',
      'config/examples/pagerduty-incident-triggered.json',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('priority P1, urgency high → SEV1 Critical');
    expect(stdout).toMatch(/CMOC {2}(Marcus Reyes|Ada Okafor) \(americas/);
    expect(stdout).toContain('Lena Park (lena, americas)');
    expect(stdout).toContain('on PTO until 2026-11-13');
    expect(stdout).toMatch(
      /15:15 UTC {2}ask \S+ \S+ \(backup\) — regional backup \(americas\) covering Lena Park, who is on PTO/,
    );
    expect(stdout).toContain(
      'Acme Rockets (high-touch)  Slack C0ACME001 · email ops@acme-rockets.example, cto@acme-rockets.example · SMS +15555550101',
    );
    expect(stdout).toContain('next update due, then every 30 min until resolved');
    expect(stdout).toContain('Subject: Example Analytics Outage – We’re investigating');
  });

  it('--at moves the moment; --json gives the plan to scripts', () => {
    const { code, stdout } = comms([
      'dry-run',
      '--incident',
      'config/examples/pagerduty-incident-resolved.json',
      '--at',
      '2026-11-07T12:00:00Z',
      '--json',
    ]);
    expect(code).toBe(0);
    const { plan } = JSON.parse(stdout) as {
      plan: { phase: string; cmoc: { inHours: boolean }; owners: unknown[]; writeUpDueBy: string };
    };
    expect(plan).toMatchObject({
      phase: 'resolution',
      cmoc: { inHours: false },
      writeUpDueBy: '2026-11-07T16:47:31.904Z',
    });
    expect(plan.owners).toHaveLength(8);
  });

  it('usage errors, exit 2', () => {
    expectFailure(comms(['dry-run']), 2, 'give --incident');
    const when = ['--at', 'tomorrow'];
    expectFailure(
      comms(['dry-run', '--incident', 'config/examples/pagerduty-incident-triggered.json', ...when]),
      2,
      '--at must be an ISO 8601 time',
    );
    expectFailure(comms(['frobnicate']), 2, 'unknown command "frobnicate"');
  });
});

describe('npx comms', () => {
  it('runs through the package.json bin in the repo', () => {
    const result = spawnSync('npx', ['--no-install', 'comms', 'help'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: comms <command>');
  });
});
