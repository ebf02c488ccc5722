import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../../..");
/** The one module that may name graphile-worker's schema in SQL (ARCHITECTURE.md, data access). */
const ALLOWED = "packages/core/src/jobs/";
const SCANNED = ["apps", "packages", "bench", "scripts"];
const SKIP = new Set(["node_modules", "dist", ".data", "test-artifacts", "migrations"]);

/** Files under apps/, packages/, bench/ and scripts/ (sources and tests) that reach graphile-worker's tables or functions in SQL. */
function graphileSqlOutsideJobs(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(entry.name)) {
        const rel = relative(root, path);
        if (!rel.startsWith(ALLOWED) && /graphile_worker\s*\./.test(readFileSync(path, "utf8"))) found.push(rel);
      }
    }
  };
  for (const top of SCANNED) walk(join(root, top));
  return found;
}

describe("graphile-worker's tables are reached only through core's jobs/", () => {
  it("no other file names them, and a planted one is found", () => {
    expect(graphileSqlOutsideJobs()).toEqual([]);
    const planted = `apps/worker/src/planted-${process.pid}.ts`;
    // Spelled in two parts so this file is not a finding itself.
    const table = ["graphile", "worker._private_jobs"].join("_");
    writeFileSync(join(root, planted), `export const q = "select * from ${table}";\n`);
    try {
      expect(graphileSqlOutsideJobs()).toEqual([planted]);
    } finally {
      rmSync(join(root, planted), { force: true });
    }
  });
});
