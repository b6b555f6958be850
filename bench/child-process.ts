import { execFile, spawn } from 'node:child_process';
import { text } from 'node:stream/consumers';
import type { BenchRow } from './table.ts';

/**
 * How a bench run in a process of its own hands back what it measured: one JSON line on stdout, which the
 * parent reads (the last line), and the exit code; an error goes to stderr, which the parent passes on.
 */
export function printResultAndExit(work: Promise<unknown>): void {
  work.then(
    (result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * Runs a bench script (TypeScript, through tsx) in a process of its own and reads back the line it printed
 * with printResultAndExit. Every run that starts a world needs its own process: the product's SDK clients
 * keep the endpoints of the first runtime a process starts. `what` names the run in errors.
 */
export function runScript<T>(
  file: string,
  args: readonly string[],
  what: string,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      'npx',
      ['tsx', file, ...args],
      {
        maxBuffer: 64 * 1024 * 1024,
        timeout: timeoutMs,
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
      },
      (error, stdout) => {
        if (error) return reject(new Error(`bench: ${what} failed: ${error.message}`));
        const last = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(last) as T);
        } catch {
          reject(new Error(`bench: ${what} printed no result: ${last.slice(0, 200)}`));
        }
      },
    );
  });
}

/**
 * One CPU-bound process beside the bench (`npm run bench -- --busy`): it spins in 50 ms slices until its
 * stdin closes, then reports the CPU it used, so the run can show it really took a core (a spinner the OS
 * starved would make a "busy" run that was not). A plain script for the same node, not TypeScript: nothing
 * of the product is loaded.
 */
const SPINNER = `
const started = Date.now();
process.stdin.on('end', () => {
  const used = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs: Date.now() - started }));
  process.exit(0);
});
process.stdin.resume();
(function spin() {
  const until = Date.now() + 50;
  while (Date.now() < until);
  setImmediate(spin);
})();
`;

/** The least share of a core the spinner must have had for the run to count as run beside a busy one. */
export const BUSY_MIN_CORE_SHARE = 0.5;

export interface Spinner {
  readonly pid: number | undefined;
  /** Stops it and returns the row that says how much of a core it had. */
  stop(): Promise<BenchRow>;
}

export function startSpinner(): Spinner {
  const child = spawn(process.execPath, ['-e', SPINNER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const report = text(child.stdout);
  return {
    pid: child.pid,
    async stop() {
      child.stdin.end();
      const { cpuMs, wallMs } = JSON.parse(await report) as { cpuMs: number; wallMs: number };
      const share = cpuMs / Math.max(1, wallMs);
      return {
        name: 'busy: the CPU-bound process beside the bench, share of one core',
        value: share,
        unit: '×',
        digits: 2,
        ok: share >= BUSY_MIN_CORE_SHARE,
        note: `it used ${(cpuMs / 1000).toFixed(1)} s of CPU over the run's ${(wallMs / 1000).toFixed(1)} s; below ${BUSY_MIN_CORE_SHARE} the run does not count as busy`,
      };
    },
  };
}
