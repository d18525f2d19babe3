import { defineConfig } from 'vitest/config';

// Tests start real proxy processes and bind real loopback ports, so they run in forked
// processes (no shared handles with the runner) and with generous timeouts: every load loop
// inside a test is bounded by its own count and deadline.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
  },
});
