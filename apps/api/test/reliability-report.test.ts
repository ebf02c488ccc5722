import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outcome, type Result, type Row, readRun } from "../../../scripts/reliability-outcome";

const root = mkdtempSync(join(tmpdir(), "elsehu-reliability-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const row: Row = {
  id: "worker-kill-campaign",
  group: "Faults",
  title: "SIGKILL a worker",
  promise: "no double send",
  test: "apps/api/test/cluster/worker-kill.test.ts",
  files: ["apps/api/test/cluster/worker-kill.test.ts"],
};
const clean: Result = {
  scenario: row.id,
  title: row.title,
  promise: row.promise,
  lost: 0,
  duplicated: 0,
  recoveryMs: 120,
  status: "pass",
  measuredAt: "2026-12-04T00:00:00.000Z",
  details: {},
};

/** A vitest JSON report (the shape `reporters: ["json"]` writes) for one file. */
function report(fileStatus: string, tests: string[]): ReturnType<typeof readRun> {
  const dir = mkdtempSync(join(root, "run-"));
  mkdirSync(join(dir, "apps/api/test/cluster"), { recursive: true });
  const path = join(dir, "vitest-results.json");
  writeFileSync(
    path,
    JSON.stringify({
      testResults: [
        {
          name: join(dir, row.files[0] ?? ""),
          status: fileStatus,
          assertionResults: tests.map((status) => ({ status })),
        },
      ],
    }),
  );
  return readRun(path, dir);
}

describe("docs/reliability.md status", () => {
  it("passes a scenario whose numbers are clean and whose whole test file passed", () => {
    expect(outcome(row, clean, report("passed", ["passed", "passed"])).status).toBe("✅ pass");
  });

  it("fails a scenario whose result file was written but whose assertions then failed", () => {
    // writeResult runs before the expects: clean numbers, then a failing assertion.
    expect(outcome(row, clean, report("failed", ["failed"])).status).toMatch(/^❌ fail/);
    // A skipped test is not a passed one.
    expect(outcome(row, clean, report("passed", ["passed", "skipped"])).status).toMatch(/^❌ fail/);
  });

  it("says 'not run' for a scenario whose test did not run, even with an old result file", () => {
    expect(outcome(row, undefined, new Map()).status).toMatch(/^⚠️ not run/);
    expect(outcome(row, clean, new Map()).status).toMatch(/^⚠️ not run/);
  });

  it("passes a scenario without measurements only when its test files passed", () => {
    expect(outcome(row, undefined, report("passed", ["passed"])).status).toBe("✅ pass");
    expect(outcome(row, undefined, report("failed", ["passed", "failed"])).status).toMatch(/^❌ fail/);
  });

  it("fails a scenario whose numbers broke a promise even when the test passed", () => {
    expect(outcome(row, { ...clean, duplicated: 1, status: "fail" }, report("passed", ["passed"])).status).toBe(
      "❌ fail",
    );
  });
});
