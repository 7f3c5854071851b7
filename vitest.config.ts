import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end files start real servers on ephemeral ports; give them time, not retries.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: the files share nothing but loopback (ephemeral ports, per-run Redis prefixes).
    maxWorkers: 2,
  },
});
