import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** What a scenario's test leaves in test-artifacts/reliability/<scenario>.json (apps/api/test/cluster/results.ts). */
export type Result = {
  scenario: string;
  title: string;
  promise: string;
  lost: number;
  duplicated: number;
  recoveryMs: number | null;
  violations?: number;
  note?: string;
  /** From the measured numbers alone; the run's test outcome decides as well (see `outcome`). */
  status: "pass" | "fail";
  measuredAt: string;
  details: Record<string, unknown>;
};

/** One promised scenario: `files` are the test files whose every test must pass for it to pass. */
export type Row = { id: string; group: string; title: string; promise: string; test: string; files: string[] };

/** Test file (path from the repository root) → passed, or failed (a failed, skipped or todo test in it). */
export type RunOutcome = Map<string, "passed" | "failed">;

type JsonReport = {
  testResults?: { name: string; status: string; assertionResults?: { status: string }[] }[];
};

/** The last run's per-file outcome, from vitest's JSON report (vitest.config.ts writes it); empty when absent. */
export function readRun(reportPath: string, root: string): RunOutcome {
  const run: RunOutcome = new Map();
  if (!existsSync(reportPath)) return run;
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as JsonReport;
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const passed = file.status === "passed" && tests.length > 0 && tests.every((t) => t.status === "passed");
    run.set(relative(root, file.name), passed ? "passed" : "failed");
  }
  return run;
}

/** The result files of the last run, by scenario. The global setup empties the folder when a run starts. */
export function readResults(dir: string): Map<string, Result> {
  const results = new Map<string, Result>();
  if (!existsSync(dir)) return results;
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const r = JSON.parse(readFileSync(join(dir, f), "utf8")) as Result;
    results.set(r.scenario, r);
  }
  return results;
}

/**
 * A scenario passes only when every test of its files passed in the last run and its measured numbers (if it
 * measures any) broke no promise. A file that did not run makes it "not run", whatever an old result says.
 */
export function outcome(row: Row, result: Result | undefined, run: RunOutcome): { result: string; status: string } {
  const measured = result ? numbers(result) : "asserted by the test (no measured numbers)";
  const notRun = row.files.filter((f) => !run.has(f));
  if (notRun.length > 0) return { result: "not run in the last test run", status: `⚠️ not run (${notRun.join(", ")})` };
  const failed = row.files.filter((f) => run.get(f) !== "passed");
  if (failed.length > 0) return { result: measured, status: `❌ fail (${failed.join(", ")})` };
  if (result && result.status !== "pass") return { result: measured, status: "❌ fail" };
  return { result: measured, status: "✅ pass" };
}

function numbers(r: Result): string {
  // Checks without a delivery count (fuzz, log scan) report violations only.
  const parts =
    r.violations !== undefined ? [`violations ${r.violations}`] : [`lost ${r.lost}`, `duplicated ${r.duplicated}`];
  if (r.recoveryMs !== null) parts.push(`recovery ${r.recoveryMs} ms`);
  if (typeof r.details.calls === "number") parts.push(`${r.details.calls} calls`);
  if (r.note) parts.push(r.note);
  return parts.join(", ");
}
