/**
 * The stack as it would deploy, bundles included, built once per test run (global-setup.ts) and read by
 * every test file that looks at bundled code. Synthesis with bundling runs esbuild once per function:
 * too slow to repeat per file, or to fit a test hook's time limit on a busy machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import type { FunctionName } from '../../../lambdas/contract/functions.ts';
import { waitFor } from '../../../local/driver.ts';
import { BUILD_LIMIT_MS, FAILED, MANIFEST, type Manifest } from './files.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where global-setup.ts builds the bundled stack (manifest.json when done, FAILED if not). */
    bundlesDir: string;
  }
}

export interface BundledStack {
  template: Template;
  bundleDir(name: FunctionName): string;
}

/** Waits for the run's bundled stack (bounded by the build's own limit) and reads it. */
export async function bundledStack(): Promise<BundledStack> {
  const dir = inject('bundlesDir');
  const manifestFile = path.join(dir, MANIFEST);
  const failedFile = path.join(dir, FAILED);
  await waitFor(
    `the bundled stack in ${dir}`,
    () => (existsSync(manifestFile) || existsSync(failedFile) ? true : undefined),
    // The build's own limit (global-setup.ts) ends it first; this only bounds a setup that never ran.
    BUILD_LIMIT_MS + 60_000,
  );
  if (!existsSync(manifestFile)) throw new Error(`bundling failed: ${readFileSync(failedFile, 'utf8')}`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  return {
    template: Template.fromJSON(manifest.template),
    bundleDir: (name) => {
      const bundle = manifest.bundles[name];
      if (!bundle) throw new Error(`no bundle for ${name}`);
      return bundle;
    },
  };
}
