import { defineConfig } from 'vitest/config';

/** The test files that read the deployable bundles: they run with the one bundle build per run. */
const READS_BUNDLES = ['test/lib/function-env.test.ts'];

export default defineConfig({
  test: {
    // Tests wait on conditions, each with a bound (waitFor in local/driver.ts); these limits only stop a
    // test that is broken, so they are long: the machine is shared, and a loaded one is many times slower.
    testTimeout: 10 * 60_000,
    hookTimeout: 5 * 60_000,
    // Handlers log at INFO in AWS; in tests only warnings and errors are worth reading.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { test: { name: 'product', include: ['test/**/*.test.ts'], exclude: READS_BUNDLES } },
      // Its own project so that the build (test/lib/bundles/) runs only when one of these files does.
      {
        test: {
          name: 'bundles',
          include: READS_BUNDLES,
          globalSetup: ['test/lib/bundles/global-setup.ts'],
        },
      },
    ],
  },
});
