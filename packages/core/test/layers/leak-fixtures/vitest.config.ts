import { join } from "node:path";
import { defineConfig } from "vitest/config";

/** Runs the planted leaks of leak-check.test.ts under the root config's leak check, nothing else. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.fixture.ts"],
    setupFiles: [join(import.meta.dirname, "../../../../../vitest.leak-check.ts")],
    pool: "forks",
    maxWorkers: 1,
    // The server the leak check names as Postgres (the root run's global setup provides the same).
    provide: { templateDatabaseUrl: process.env.LEAK_FIXTURE_DATABASE_URL ?? "" },
  },
});
