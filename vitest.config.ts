import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["apps/*/test/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.tsx"],
    globalSetup: ["./vitest.global-setup.ts"],
    // Fails a file that leaves connections, servers, timers or elsehu-* folders behind.
    setupFiles: ["./vitest.leak-check.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for work done by other processes (worker, simulator, browser): 1 s, vitest's
    // default, is too short on a loaded 2-core machine.
    expect: { poll: { timeout: 15_000 } },
    pool: "forks",
    maxWorkers: 2,
    // The JSON report tells scripts/reliability-report.ts which test files passed in the last run.
    reporters: ["default", ["json", { outputFile: "test-artifacts/vitest-results.json" }]],
  },
});
