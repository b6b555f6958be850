import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findIncident } from '../../lambdas/adapters/incidents.ts';
import { waitFor, WAIT_BOUND_MS } from '../../local/driver.ts';
import { commsAsync } from '../support/run-comms.ts';
import { startWorld, type World } from '../support/world.ts';

/**
 * `comms` as an install has it: bin/comms.mjs, the bundle bin/build-comms.mjs makes, config/, and only the
 * packages the bundle imports (no tsx, no TypeScript sources), run with plain `node`.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'comms-install-'));
const run = (args: string[]) => {
  const out = spawnSync(process.execPath, [path.join(dir, 'bin', 'comms.mjs'), ...args], {
    encoding: 'utf8',
    cwd: dir,
    timeout: WAIT_BOUND_MS,
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
};

beforeAll(() => {
  const built = spawnSync(process.execPath, ['bin/build-comms.mjs', path.join(dir, 'dist', 'comms.mjs')], {
    encoding: 'utf8',
  });
  expect(built.status, built.stderr).toBe(0);
  mkdirSync(path.join(dir, 'bin'));
  cpSync('bin/comms.mjs', path.join(dir, 'bin', 'comms.mjs'));
  cpSync('package.json', path.join(dir, 'package.json'));
  cpSync('config', path.join(dir, 'config'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', '@aws-sdk'), { recursive: true });
  for (const pkg of ['zod', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'])
    symlinkSync(path.resolve('node_modules', pkg), path.join(dir, 'node_modules', pkg));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the comms bundle', () => {
  it('runs with plain node and no devDependencies', () => {
    const help = run(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('comms fire <event.json>');
    const valid = run(['roster', 'validate', 'config/roster.example.json']);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('valid roster for Example Analytics');
  });

  it('says a missing file is missing, exit 1 (not the usage code)', () => {
    const missing = run(['roster', 'validate', 'nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/roster file "nope\.json" does not exist/);
  });

  it('is what npm packs', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
    const files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['bin/comms.mjs', 'dist/comms.mjs', 'config/roster.example.json']),
    );
  });
});

describe('comms fire', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ timeScale: 60 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('posts the example event to the local webhook, signed and stamped now', async () => {
    const before = Date.now();
    const fired = await commsAsync(
      [
        'fire',
        'config/examples/pagerduty-incident-triggered.json',
        '--url',
        world.runtime.apiUrl,
        '--incident',
        'QFIRE01',
      ],
      {},
    );
    expect(fired.code, fired.stderr).toBe(0);
    expect(fired.stdout).toContain('incident.triggered for incident QFIRE01 accepted (202)');
    const record = await waitFor('the fired incident recorded', () => findIncident('QFIRE01'));
    expect(Date.parse(record.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    const missing = await commsAsync(['fire', 'nope.json', '--url', world.runtime.apiUrl], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/event file "nope\.json" does not exist/);
  });
});
