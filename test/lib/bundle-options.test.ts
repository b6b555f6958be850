import { describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE, esbuildOptions } from '../../lib/bundle-options.ts';
import { CDK_BUNDLING, LAMBDA_RUNTIME } from '../../lib/constructs/product-function.ts';

/**
 * The benchmark measures esbuildOptions(); the stack deploys CDK_BUNDLING. Every CDK option must have
 * its esbuild twin with the same value, or the benchmark measures a bundle nobody deploys.
 */
describe('bundle options', () => {
  const esbuild = esbuildOptions('/src/handler.ts', '/out');
  const twins: Record<string, (o: typeof esbuild) => unknown> = {
    target: (o) => o.target,
    format: (o) => o.format,
    minify: (o) => o.minify,
    sourceMap: (o) => o.sourcemap,
    sourcesContent: (o) => o.sourcesContent,
    keepNames: (o) => o.keepNames,
    mainFields: (o) => o.mainFields,
    externalModules: (o) => o.external,
    banner: (o) => (o.banner as { js: string }).js,
  };

  it.each(Object.keys(CDK_BUNDLING).filter((k) => k !== 'forceDockerBundling'))(
    '%s is the same for CDK and the benchmark',
    (key) => {
      const twin = twins[key];
      expect(twin, `no esbuild counterpart listed for CDK option ${key}`).toBeDefined();
      expect(twin!(esbuild)).toEqual((CDK_BUNDLING as Record<string, unknown>)[key]);
    },
  );

  it('bundles for the Lambda runtime, as ESM, to index.mjs, without Docker', () => {
    expect(LAMBDA_RUNTIME.name).toBe('nodejs22.x');
    expect(esbuild.target).toBe('node22');
    expect(esbuild.outfile).toBe('/out/index.mjs');
    expect(esbuild.platform).toBe('node');
    expect(esbuild.bundle).toBe(true);
    expect(CDK_BUNDLING.forceDockerBundling).toBe(false);
    expect(LAMBDA_BUNDLE.banner).toContain('const require = ');
  });
});
