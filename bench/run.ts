import { benchBundles } from './bundles.ts';
import { benchBroadcast } from './broadcast.ts';
import { benchFrontDoors } from './front-doors.ts';
import { benchFaults } from './faults.ts';
import { benchWorkflow } from './workflow.ts';
import { printTable, rowOk, type BenchRow } from './table.ts';

/**
 * `npm run bench`: every budget in docs/architecture.md ("Budgets") measured on this machine, printed as one table. Budgets are
 * measured here, never asserted in tests (the machine is shared and noisy). `--only <group>` runs one group.
 */
const groups: Record<string, () => Promise<BenchRow[]>> = {
  bundles: benchBundles,
  broadcast: benchBroadcast,
  'front-doors': benchFrontDoors,
  workflow: benchWorkflow,
  faults: benchFaults,
};

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  if (only !== undefined && !(only in groups)) {
    console.error(`bench: unknown group "${only}"; groups are ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  for (const [name, run] of Object.entries(groups)) {
    if (only !== undefined && name !== only) continue;
    process.stderr.write(`bench: measuring ${name}…\n`);
    // One group's failure must not hide the rows the others measured: it is reported and the run fails.
    try {
      rows.push(...(await run()));
    } catch (error) {
      failed.push(name);
      console.error(`bench: group ${name} failed:`, error);
    }
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
