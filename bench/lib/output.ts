import { round } from "./stats";

/**
 * Prints a benchmark's result. Human-readable lines go first; the LAST line
 * of stdout is always one JSON object, which scripts and CI parse.
 */
export function printResult(result: { name: string } & Record<string, unknown>, lines: string[] = []): void {
  for (const l of lines) console.log(l);
  console.log(JSON.stringify(result, (_k, v) => (typeof v === "number" && !Number.isInteger(v) ? round(v) : v)));
}

/** "ok"/"BELOW TARGET" marker for a ratio against its target, for the human lines. */
export function verdict(ratio: number, target: number, higherIsBetter = true): string {
  const ok = higherIsBetter ? ratio >= target : ratio <= target;
  return ok
    ? `ok (target ${higherIsBetter ? "≥" : "≤"} ${target})`
    : `MISSES TARGET (${higherIsBetter ? "≥" : "≤"} ${target})`;
}
