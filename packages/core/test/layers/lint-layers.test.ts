import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../../..");

/**
 * Plants a file in a layer, runs `biome lint` on it as `pnpm lint` would, and removes it.
 * Returns biome's exit code and its report.
 */
function lintPlanted(relPath: string, source: string): { code: number | null; report: string } {
  const file = join(root, relPath);
  writeFileSync(file, source);
  try {
    const r = spawnSync(join(root, "node_modules/.bin/biome"), ["lint", "--error-on-warnings", relPath], {
      cwd: root,
      encoding: "utf8",
    });
    return { code: r.status, report: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

describe("layers the linter enforces (biome.json overrides)", () => {
  it("a router may not import drizzle-orm; the same router calling core passes", { timeout: 120_000 }, () => {
    const name = `apps/api/src/routers/planted-${process.pid}.ts`;
    const bad = lintPlanted(name, 'import { sql } from "drizzle-orm";\n\nexport const planted = sql`select 1`;\n');
    expect(bad.code).not.toBe(0);
    expect(bad.report).toMatch(/noRestrictedImports/);
    const good = lintPlanted(name, 'import { listUsers } from "@elsehu/core";\n\nexport const planted = listUsers;\n');
    expect([good.code, good.report]).toEqual([0, expect.any(String)]);
  });

  it("a task may not import @elsehu/db or graphile-worker", { timeout: 120_000 }, () => {
    const name = `apps/worker/src/tasks/planted-${process.pid}.ts`;
    const db = lintPlanted(name, 'import { users } from "@elsehu/db";\n\nexport const planted = users;\n');
    expect(db.code).not.toBe(0);
    expect(db.report).toMatch(/noRestrictedImports/);
    const graphile = lintPlanted(name, 'import { run } from "graphile-worker";\n\nexport const planted = run;\n');
    expect(graphile.code).not.toBe(0);
    expect(graphile.report).toMatch(/noRestrictedImports/);
  });

  it("only env.ts files read process.env", { timeout: 120_000 }, () => {
    const bad = lintPlanted(
      `packages/core/src/planted-${process.pid}.ts`,
      "export const planted = process.env.PLANTED;\n",
    );
    expect(bad.code).not.toBe(0);
    expect(bad.report).toMatch(/noProcessEnv/);
  });
});
