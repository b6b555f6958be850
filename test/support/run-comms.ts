import { spawn, spawnSync } from 'node:child_process';
import { WAIT_BOUND_MS } from '../../local/driver.ts';

export interface CommsResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `comms` CLI as a user would, in its own process. */
export function comms(args: string[], input?: string): CommsResult {
  const result = spawnSync(process.execPath, ['bin/comms.mjs', ...args], {
    encoding: 'utf8',
    input,
    timeout: WAIT_BOUND_MS,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process (a test's own server, e.g. dynalite, must keep answering). */
export function commsAsync(args: string[], env: Record<string, string>): Promise<CommsResult> {
  return new Promise<CommsResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/comms.mjs', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`comms ${args.join(' ')} did not finish within ${WAIT_BOUND_MS / 1000} s`));
    }, WAIT_BOUND_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
