import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./harness";

/** One measured scenario, as `docs/reliability.md` (scripts/reliability-report.ts) shows it. */
export type ScenarioResult = {
  scenario: string;
  title: string;
  promise: string;
  /** Messages or recipients (or events) that should have been delivered and were not. */
  lost: number;
  /** Delivered more than once. */
  duplicated: number;
  /** From the fault to the system serving again (ms), when it applies. */
  recoveryMs: number | null;
  /** Other broken promises (e.g. secrets found in logs); any makes the scenario fail. */
  violations?: number;
  /** One sentence the report shows next to the numbers (e.g. a measured caveat). */
  note?: string;
  details: Record<string, unknown>;
};

/**
 * Written before the assertions, so a failing run still leaves its numbers behind. The status here only says
 * whether the numbers broke a promise: the report calls the scenario passed only when its test file passed in
 * the same run (vitest's JSON report), and the global setup deletes every result when a run starts.
 */
export function writeResult(result: ScenarioResult): void {
  const dir = join(ROOT, "test-artifacts", "reliability");
  mkdirSync(dir, { recursive: true });
  const status = result.lost === 0 && result.duplicated === 0 && !result.violations ? "pass" : "fail";
  const body = { ...result, status, measuredAt: new Date().toISOString() };
  writeFileSync(join(dir, `${result.scenario}.json`), `${JSON.stringify(body, null, 2)}\n`);
}
