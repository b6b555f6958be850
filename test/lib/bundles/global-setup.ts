/**
 * Builds the bundled stack once per test run, in a child process started here and left to run beside
 * the tests (build.ts); the test files that read bundles wait for its manifest (bundled-stack.ts). The
 * build has its own time limit, apart from any test's, and is stopped and cleaned up at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { BUILD_LIMIT_MS, FAILED, MANIFEST } from './files.ts';

const BUILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build.ts');
/** The tail of the build's output kept for the failure message. */
const OUTPUT_KEPT = 20_000;

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundled-stack-'));
  project.provide('bundlesDir', dir);
  const child = spawn(process.execPath, ['--import', 'tsx', BUILD, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_KEPT));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const fail = (why: string) => {
    if (!existsSync(path.join(dir, MANIFEST)) && !existsSync(path.join(dir, FAILED)))
      writeFileSync(path.join(dir, FAILED), why);
  };
  const limit = setTimeout(() => {
    fail(`the build took longer than ${BUILD_LIMIT_MS / 60_000} minutes:\n${output}`);
    child.kill('SIGKILL');
  }, BUILD_LIMIT_MS);
  const exited = new Promise<void>((resolve) => {
    child.on('error', (error) => {
      fail(`the build could not start: ${error.message}`);
      resolve();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      if (code !== 0) fail(`the build exited with ${code ?? signal}:\n${output}`);
      resolve();
    });
  });
  return async () => {
    clearTimeout(limit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
