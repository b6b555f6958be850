/**
 * What the bundle build (build.ts, started by global-setup.ts) leaves in the run's bundles directory,
 * and how long it may take. No vitest import: build.ts runs in a plain Node process.
 */
export const MANIFEST = 'manifest.json';
/** Written instead of the manifest when the build fails or runs out of time: what went wrong. */
export const FAILED = 'FAILED';
/** How long the build may take: it competes for the CPU with every test running meanwhile. */
export const BUILD_LIMIT_MS = 15 * 60_000;

export interface Manifest {
  /** The synthesized template (Template.toJSON()). */
  template: Record<string, unknown>;
  /** Each function's bundle directory (index.mjs and index.mjs.map), by function name. */
  bundles: Record<string, string>;
}
