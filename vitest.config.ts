import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// One graphql, as in production: Node resolves `import 'graphql'` to its CommonJS entry (the
// package has no exports map), the one @apollo/* require. Vite would pick the ES module build
// instead, and a schema built by one copy fails `instanceof` checks in the other.
const GRAPHQL_ENTRY = createRequire(import.meta.url).resolve('graphql');

// Three tiers, each a vitest project (`vitest run --project unit`; README.md "Tests"):
// - unit: test/unit/, pure functions and mocks; a setup file makes any server, process or
//   connection throw, so the tier stays fast (seconds) and needs nothing running;
// - slow: test/slow/, the soak, the benchmark harness and whatever runs `npm start`;
// - e2e: every other file; real servers and processes on ephemeral loopback ports.
const UNIT = 'test/unit/**/*.test.ts';
const SLOW = 'test/slow/**/*.test.ts';

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: GRAPHQL_ENTRY }] },
  test: {
    pool: 'forks',
    // Both cores: the files share nothing but loopback (ephemeral ports, per-run Redis prefixes).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [UNIT],
          setupFiles: ['test/unit/noProcessesOrSockets.ts'],
          testTimeout: 10_000,
          // Nothing to isolate (no server, no process, fake timers restored): the files share one
          // module cache per worker, so graphql, jose and the router's modules load once, not per file.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: [UNIT, SLOW],
          // Default bounds; a test that waits longer declares its own timeout, covering its waits.
          // No retries: a test that needs one is fixed instead.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // A busy machine renders and answers more slowly than an idle one: poll for 5 s, not 1.
          expect: { poll: { timeout: 5_000 } },
        },
      },
      {
        extends: true,
        test: { name: 'slow', include: [SLOW], testTimeout: 120_000, hookTimeout: 60_000, expect: { poll: { timeout: 5_000 } } },
      },
    ],
  },
});
