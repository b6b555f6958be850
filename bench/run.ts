import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchBundles } from './bundles.ts';
import { benchBroadcast } from './broadcast.ts';
import { benchFrontDoors } from './front-doors.ts';
import { benchFaults } from './faults.ts';
import { benchWorkflow } from './workflow.ts';
import { benchGrowth } from './growth.ts';
import { printTable, rowOk, type BenchRow } from './table.ts';
import { startSpinner } from './child-process.ts';

/**
 * `npm run bench`: every budget in docs/architecture.md ("Budgets") measured on this machine, printed as one table. Budgets are
 * measured here, never asserted in tests (the machine is shared and noisy). `--only <group>` runs one group.
 * Each group runs in a process of its own: the product's SDK clients are made once per process, pointed at
 * the stand-ins of the first world started, so a second group's world in the same process would find the
 * first one's closed ports. `--busy` runs one CPU-bound process beside the whole run (bench/child-process.ts):
 * every ratio row must hold then too, and a last row says how much of a core that process had.
 */
const groups: Record<string, () => Promise<BenchRow[]>> = {
  bundles: benchBundles,
  broadcast: benchBroadcast,
  'front-doors': benchFrontDoors,
  workflow: benchWorkflow,
  growth: benchGrowth,
  faults: benchFaults,
};

/** Asks a child run (`--only <group>`) for its rows as one JSON line instead of a table. */
const ROWS_FLAG = '--rows-json';
const SELF = fileURLToPath(import.meta.url);

function inItsOwnProcess(group: string): Promise<BenchRow[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'npx',
      ['tsx', SELF, '--only', group, ROWS_FLAG],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        const last = stdout.trim().split('\n').at(-1) ?? '';
        let rows: BenchRow[] | undefined;
        try {
          rows = JSON.parse(last) as BenchRow[];
        } catch {
          rows = undefined;
        }
        if (error || !rows)
          reject(new Error(`its process ${error ? `failed: ${error.message}` : 'printed no rows'}`));
        else resolve(rows);
      },
    );
    // Progress and the group's own messages go straight through.
    child.stderr?.pipe(process.stderr);
  });
}

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  if (only !== undefined && !(only in groups)) {
    console.error(`bench: unknown group "${only}"; groups are ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  const asRows = process.argv.includes(ROWS_FLAG);
  // The parent's spinner runs beside its groups' processes; a child run never starts one of its own.
  const spinner = process.argv.includes('--busy') && !asRows ? startSpinner() : undefined;
  if (spinner)
    process.stderr.write(`bench: a CPU-bound process (pid ${spinner.pid}) runs beside the bench\n`);
  for (const [name, run] of Object.entries(groups)) {
    if (only !== undefined && name !== only) continue;
    // One group's failure must not hide the rows the others measured: it is reported and the run fails.
    try {
      if (only === undefined) rows.push(...(await inItsOwnProcess(name)));
      else {
        process.stderr.write(`bench: measuring ${name}…\n`);
        rows.push(...(await run()));
      }
    } catch (error) {
      failed.push(name);
      console.error(`bench: group ${name} failed:`, error);
    }
  }
  if (spinner) rows.push(await spinner.stop());
  if (asRows) {
    console.log(JSON.stringify(rows));
    if (failed.length > 0) process.exitCode = 1;
    return;
  }
  printTable(rows);
  const over = rows.filter((row) => rowOk(row) === false);
  if (over.length > 0) console.log(`\n${over.length} row(s) over budget.`);
  if (failed.length > 0) {
    console.log(`\nGroup(s) that failed and printed no rows: ${failed.join(', ')}.`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exit(1);
});
