import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end and workflow tests start real local servers; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Handlers log at INFO in AWS; in tests only warnings and errors are worth reading.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    pool: 'forks',
    maxWorkers: 2,
  },
});
