import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comms, commsAsync } from '../support/run-comms.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadRoster as loadStoredRoster } from '../../lambdas/adapters/roster-store.ts';
import { policyFor, type RosterInput } from '../../lambdas/domain/index.ts';
import { startDynamo } from '../../local/dynamodb.ts';

/**
 * The severity policy travels in the roster: `comms roster import --policy` puts a separate policy file in
 * its place, the stored roster gives it back, and dry-run reads the roster's policy unless given a file.
 */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const TRIGGERED = 'config/examples/pagerduty-incident-triggered.json';

const tmp = mkdtempSync(path.join(tmpdir(), 'comms-policy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, value: unknown) => {
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};
const exampleRoster = () => JSON.parse(readFileSync('config/roster.example.json', 'utf8')) as RosterInput;

describe('comms roster import --policy', () => {
  it('stores the policy file in place of the roster’s own; the Lambdas read it back, nulls included', async () => {
    const table = 'comms-policy-test';
    const dynamo = await startDynamo({ tableName: table });
    const client = new DynamoDBClient({
      endpoint: dynamo.url,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    const policyFile = write('policy.json', {
      $schema: './policy.schema.json',
      severities: {
        SEV1: { postmortemHours: null },
        SEV2: { cadenceMinutes: 45, ownerTimeoutMinutes: 15, backupTimeoutMinutes: 15 },
      },
      pagerduty: { priorities: { 'Sev-A': 'SEV1' } },
    });
    try {
      const result = await commsAsync(
        ['roster', 'import', 'config/roster.example.json', '--policy', policyFile, '--table', table],
        {
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('with the policy in');
      const stored = await loadStoredRoster({
        tableName: table,
        dynamodb: DynamoDBDocumentClient.from(client),
      });
      expect(stored.policy).toEqual({
        severities: {
          SEV1: { postmortemHours: null },
          SEV2: { cadenceMinutes: 45, ownerTimeoutMinutes: 15, backupTimeoutMinutes: 15 },
        },
        // The roster's own "SEV-1" mapping is gone: the file replaced the whole policy.
        pagerduty: { priorities: { 'Sev-A': 'SEV1' }, withoutPriority: {} },
      });
      expect(policyFor('SEV2', stored.policy).cadenceMinutes).toBe(45);
      expect(policyFor('SEV1', stored.policy).postmortemHours).toBeNull();
    } finally {
      client.destroy();
      await dynamo.close();
    }
  });

  it('an invalid policy file is refused before anything is written, naming the file and the path, exit 1', () => {
    const bad = write('bad-policy.json', { severities: { SEV1: { cadenceMinutes: 90 } } });
    const result = comms(['roster', 'import', 'config/roster.example.json', '--policy', bad, '--table', 'x']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('bad-policy.json');
    expect(result.stderr).toMatch(/severities\.SEV1\.cadenceMinutes \(90\) conflicts/);
  });
});

describe('comms roster validate / dry-run with a policy in the roster', () => {
  const roster = { ...exampleRoster(), policy: { severities: { SEV1: { cadenceMinutes: 20 } } } };

  it('validate names a bad policy field by its path in the roster, exit 1', () => {
    const bad = { ...exampleRoster(), policy: { severities: { SEV1: { cadenceMinutes: 0 } } } };
    const result = comms(['roster', 'validate', write('bad-roster.json', bad)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'policy.severities.SEV1.cadenceMinutes must be more than 0 minutes (got 0)',
    );
  });

  it('dry-run follows the roster’s policy', () => {
    const result = comms(['dry-run', '--incident', TRIGGERED, '--roster', write('roster.json', roster)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('an update every 20 min (at most 60)');
  });

  it('a --policy file stands in for the roster’s policy', () => {
    const args = ['--incident', TRIGGERED, '--roster', write('roster2.json', roster)];
    const result = comms(['dry-run', ...args, '--policy', 'config/policy.example.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('an update every 30 min (at most 60)');
  });
});

describe('the company’s ladder in the CLI', () => {
  const POLICY = 'config/policy.example.json';

  it('previews a level the policy defines, with its own cadence', () => {
    const result = comms([
      'preview',
      '--severity',
      'sev0',
      '--phase',
      'update',
      '--channel',
      'email',
      '--policy',
      POLICY,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Next update within 15 minutes');
  });

  it('refuses a level the ladder does not have, listing the ones it has', () => {
    const result = comms(['preview', '--severity', 'SEV0', '--phase', 'initial']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--severity must be one of SEV1, SEV2, SEV3, SEV4 (got "SEV0")');
    const tone = comms(['tone', 'We are on it.', '--severity', 'SEV9', '--policy', POLICY]);
    expect(tone.stderr).toContain('--severity must be one of SEV0, SEV1, SEV2, SEV3, SEV4 (got "SEV9")');
  });

  it('refuses a roster whose policy names an unknown level, with the path', () => {
    const roster = { ...exampleRoster(), policy: { pagerduty: { priorities: { P0: 'SEV0' } } } };
    const result = comms(['roster', 'validate', write('unknown-level.json', roster)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'policy.pagerduty.priorities.P0 ("SEV0") is not a level of the ladder (SEV1, SEV2, SEV3, SEV4)',
    );
  });
});
