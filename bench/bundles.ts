/**
 * Bundle size and cold import of every Lambda (docs/architecture.md, "Budgets": ≤ 300 KB minified; cold
 * import ≤ 1.5 × its floor).
 *
 * Bundles are built with lib/bundle-options.ts, the options the CDK construct deploys with. They are
 * written under node_modules/.cache so the external AWS SDK resolves from the project's node_modules,
 * as it resolves from the runtime's in Lambda.
 *
 * Cold import: a fresh Node process per run (this process's Node 22, `--enable-source-maps` as in
 * Lambda) times `await import(bundle)` with performance.now() inside the child — Node's own start-up is
 * excluded, module loading, evaluation and the external SDK's loading are included.
 *
 * An absolute time does not travel between machines (the same commit measured 77–438 ms on machines of
 * one kind), so the budget is a ratio to a floor measured in the same run: a bare bundle that imports only
 * what the function cannot do without — the AWS SDK clients its bundle imports and the logger — and
 * nothing of ours. Floor and function are measured in alternation, so a busy spell slows both.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { BUNDLE_FILE, esbuildOptions, handlerEntry } from '../lib/bundle-options.ts';
import { FUNCTIONS } from '../lambdas/contract/functions.ts';
import type { BenchRow } from './table.ts';
import { median } from './median.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_ROOT = path.join(ROOT, 'node_modules', '.cache', 'incident-comms', 'bench-bundles');
/**
 * Moving every schema from classic zod to zod/mini took zod's share of each bundle from 103 KB to 37 KB
 * (slack-interactions 330 → 263 KB, slack-commands 316 → 250 KB, deliver-update 301 → 235 KB), as
 * measured by this benchmark. One classic `import … from 'zod'` anywhere brings the 103 KB back.
 */
export const SIZE_BUDGET_KB = 300;
/** Cold import of a function ÷ cold import of its floor. */
export const IMPORT_RATIO_BUDGET = 1.5;
const RUNS = 7;

/** What the function sees in Lambda, with dummy values: handlers may read configuration at import. */
function lambdaLikeEnv(dir: string): NodeJS.ProcessEnv {
  const region = 'us-east-1';
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:000000000000:${resource}`;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `bench-${dir}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    TABLE_NAME: 'bench',
    STATE_MACHINE_ARN: arn('states', 'stateMachine:bench-incident'),
    SLACK_SECRET_ARN: arn('secretsmanager', 'secret:bench/slack'),
    PAGERDUTY_SECRET_ARN: arn('secretsmanager', 'secret:bench/pagerduty'),
    TWILIO_SECRET_ARN: arn('secretsmanager', 'secret:bench/twilio'),
    POWERTOOLS_SERVICE_NAME: 'bench',
    COMPANY_NAME: 'Bench Corp',
  };
}

const CHILD = `
const started = performance.now();
const module = await import(process.argv[1]);
const loaded = performance.now();
if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler function');
process.stdout.write(JSON.stringify({ importMs: loaded - started, sinceStartMs: loaded }));
`;

interface ImportTiming {
  importMs: number;
  sinceStartMs: number;
}

function importOnce(bundle: string, env: NodeJS.ProcessEnv): Promise<ImportTiming> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', CHILD, pathToFileURL(bundle).href],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(stdout) as ImportTiming);
      else
        reject(new Error(firstErrorLine(stderr) ?? `import exited with ${code ?? 'a signal'} (30 s limit)`));
    });
  });
}

function firstErrorLine(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^[A-Za-z]*Error\b|^Error:/.test(l));
}

/** The package contributing most bytes to the bundle, for the note of an over-budget row. */
function largestInput(metafile: Metafile): string {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = match?.[1] ?? '(own code)';
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
  }
  const [name, bytes] = [...byPackage].sort((a, b) => b[1] - a[1])[0] ?? ['—', 0];
  return `largest: ${name} ${(bytes / 1000).toFixed(0)} KB`;
}

async function benchOne(dir: string, handler: string): Promise<BenchRow[]> {
  const outdir = path.join(OUT_ROOT, dir);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const bundle = path.join(outdir, BUNDLE_FILE);
  let metafile: Metafile;
  try {
    ({ metafile } = await build({
      ...esbuildOptions(handlerEntry(ROOT, handler), outdir),
      metafile: true,
      logLevel: 'silent',
    }));
  } catch (error) {
    const message = (error as Error).message.split('\n').slice(0, 2).join(' ');
    return [
      {
        name: `bundle ${dir}`,
        value: Number.NaN,
        unit: 'KB',
        budget: SIZE_BUDGET_KB,
        ok: false,
        note: `build failed: ${message}`,
      },
    ];
  }
  const sizeKb = (await stat(bundle)).size / 1000;
  const sizeRow: BenchRow = {
    name: `bundle ${dir}`,
    value: sizeKb,
    unit: 'KB',
    budget: SIZE_BUDGET_KB,
    note: largestInput(metafile),
  };

  const floor = await buildFloor(outdir, externalSdkImports(metafile));
  const importRow = await importRatioRow(dir, bundle, floor);
  return [sizeRow, importRow];
}

/** The AWS SDK packages a bundle leaves to the runtime: what the function's floor imports too. */
function externalSdkImports(metafile: Metafile): string[] {
  const specifiers = new Set<string>();
  for (const output of Object.values(metafile.outputs))
    for (const imported of output.imports)
      if (imported.external && imported.path.startsWith('@aws-sdk/')) specifiers.add(imported.path);
  return [...specifiers].sort();
}

/**
 * The floor: a handler that imports the given SDK packages and the logger, evaluated the way the
 * function's bundle is (same esbuild options), and does nothing else. Namespace imports kept reachable,
 * so neither tree-shaking nor lazy evaluation makes the floor cheaper than what it stands for.
 */
async function buildFloor(outdir: string, sdk: readonly string[]): Promise<string> {
  const floorDir = path.join(outdir, 'floor');
  await mkdir(floorDir, { recursive: true });
  const entry = path.join(floorDir, 'entry.mjs');
  const lines = [
    "import { Logger } from '@aws-lambda-powertools/logger';",
    ...sdk.map((specifier, i) => `import * as sdk${i} from '${specifier}';`),
    'const logger = new Logger();',
    `export const loaded = [${sdk.map((_, i) => `sdk${i}`).join(', ')}];`,
    'export const handler = async () => { logger.info("floor"); return loaded.length; };',
  ];
  await writeFile(entry, `${lines.join('\n')}\n`);
  // The entry lives outside the tree; resolve its packages from the project's node_modules.
  await build({
    ...esbuildOptions(entry, floorDir),
    nodePaths: [path.join(ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  return path.join(floorDir, BUNDLE_FILE);
}

async function importRatioRow(dir: string, bundle: string, floor: string): Promise<BenchRow> {
  const name = `cold import ${dir} ÷ floor`;
  const env = lambdaLikeEnv(dir);
  const own: number[] = [];
  const bare: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      bare.push((await importOnce(floor, env)).importMs);
      own.push((await importOnce(bundle, env)).importMs);
    }
  } catch (error) {
    return {
      name,
      value: Number.NaN,
      unit: '×',
      budget: IMPORT_RATIO_BUDGET,
      ok: false,
      note: `import failed: ${(error as Error).message}`,
    };
  }
  const ownMs = median(own);
  const floorMs = median(bare);
  return {
    name,
    value: ownMs / floorMs,
    unit: '×',
    budget: IMPORT_RATIO_BUDGET,
    digits: 2,
    note: `median of ${RUNS} alternating runs: ${ownMs.toFixed(0)} ms vs floor ${floorMs.toFixed(0)} ms`,
  };
}

export async function benchBundles(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // One function at a time: parallel imports would measure contention on a 2-core machine.
  for (const spec of FUNCTIONS) rows.push(...(await benchOne(spec.name, spec.handler)));
  return rows;
}
