/**
 * How every Lambda is bundled. The CDK construct (lib/constructs/product-function.ts) and the bundle
 * benchmark (bench/bundles.ts) both read these, so the numbers the benchmark prints are the bundles that
 * get deployed. No aws-cdk-lib import here: the benchmark loads this without the CDK.
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/** Lambda runtime major version; the esbuild target follows it. */
export const NODE_MAJOR = 22;

/**
 * ESM output bundles CommonJS dependencies too. esbuild turns their `require('node:crypto')` into a shim
 * that throws "Dynamic require of … is not supported" unless a real `require` exists, and CJS code that
 * reads `__dirname`/`__filename` finds them undefined in a module. The banner defines all three from
 * `import.meta.url`; the aliased imports cannot collide with bundled names.
 */
export const ESM_BANNER = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  "import { dirname as __bundleDirname } from 'node:path';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __filename = __bundleFileURLToPath(import.meta.url);',
  'const __dirname = __bundleDirname(__filename);',
].join(' ');

export const LAMBDA_BUNDLE = {
  target: `node${NODE_MAJOR}`,
  format: 'esm',
  minify: true,
  /** Linked `.map` next to the bundle; NODE_OPTIONS=--enable-source-maps makes stack traces use it. */
  sourceMap: true,
  /**
   * Mappings only, not the sources: Node reads and parses the whole map when the bundle loads, and the
   * sources made it ~4× larger (plan-broadcast 945 → 228 KB), ~18 ms of every cold start for a code frame
   * nobody reads in CloudWatch. Stack traces keep their original files, lines and columns.
   */
  sourcesContent: false,
  /**
   * Minifying renames classes; code that names errors from `constructor.name` would then send a
   * different error name to Step Functions than it does locally, and `Catch` would stop matching.
   */
  keepNames: true,
  /** ESM entry points first: they tree-shake; `main` is the fallback for CJS-only packages. */
  mainFields: ['module', 'main'],
  /**
   * AWS SDK v3 comes with the nodejs22.x runtime. Bundling it would cost ~300 KB per client (over the
   * per-bundle budget on its own). @smithy goes with it so bundled and runtime SDK pieces never mix
   * versions.
   */
  externalModules: ['@aws-sdk/*', '@smithy/*'],
  banner: ESM_BANNER,
} as const;

/** Output file name CDK uses for ESM bundles (index.mjs, so Node treats it as a module). */
export const BUNDLE_FILE = 'index.mjs';

/** The same bundle as esbuild API options, for building outside the CDK (the benchmark). */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile: path.join(outdir, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLE.target,
    format: LAMBDA_BUNDLE.format,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    keepNames: LAMBDA_BUNDLE.keepNames,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    external: [...LAMBDA_BUNDLE.externalModules],
    banner: { js: LAMBDA_BUNDLE.banner },
    logLevel: 'warning',
  };
}

/** Handler module of a function: lambdas/<handler>/handler.ts, exporting `handler`. */
export function handlerEntry(projectRoot: string, handler: string): string {
  return path.join(projectRoot, 'lambdas', handler, 'handler.ts');
}
