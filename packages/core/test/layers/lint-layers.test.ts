import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../../..");

/**
 * Plants files in layers, runs `biome lint` on them (one run) as `pnpm lint` would, and removes them.
 * Returns biome's exit code, its report, and for each planted file the diagnostics biome gave it.
 */
function lintPlantedFiles(files: Record<string, string>): {
  code: number | null;
  report: string;
  of: (relPath: string) => string;
} {
  const paths = Object.keys(files);
  for (const p of paths) writeFileSync(join(root, p), files[p] ?? "");
  try {
    const r = spawnSync(join(root, "node_modules/.bin/biome"), ["lint", "--error-on-warnings", ...paths], {
      cwd: root,
      encoding: "utf8",
    });
    const report = `${r.stdout}${r.stderr}`;
    // Each diagnostic starts with "path:line:col rule ━━━" and runs to the next one.
    const blocks = report.split(/\n(?=\S+:\d+:\d+ \S+ ━)/);
    const of = (relPath: string) => blocks.filter((b) => b.startsWith(`${relPath}:`)).join("\n");
    return { code: r.status, report, of };
  } finally {
    for (const p of paths) rmSync(join(root, p), { force: true });
  }
}

/** One planted file: biome's exit code and its report. */
function lintPlanted(relPath: string, source: string): { code: number | null; report: string } {
  const { code, report } = lintPlantedFiles({ [relPath]: source });
  return { code, report };
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

  it("an app imports no other app, by package name or by path, even in its tests", { timeout: 180_000 }, () => {
    const id = process.pid;
    const planted = {
      // by package name, from a test
      apiTest: `apps/api/test/planted-${id}.ts`,
      // by path, from a test
      workerTest: `apps/worker/test/planted-${id}.ts`,
      // the routers' own override (no drizzle-orm...) still carries the rule
      router: `apps/api/src/routers/planted-${id}.ts`,
      // the console's tests start the stack through @elsehu/testing, not the API
      webTest: `apps/web/test/planted-${id}.ts`,
      // a package below the apps
      core: `packages/core/src/planted-${id}.ts`,
    };
    const { code, of } = lintPlantedFiles({
      [planted.apiTest]: 'import { startWorker } from "@elsehu/worker";\n\nexport const planted = startWorker;\n',
      [planted.workerTest]: 'import { startApi } from "../../api/src/server";\n\nexport const planted = startApi;\n',
      [planted.router]: 'import { startWorker } from "@elsehu/worker";\n\nexport const planted = startWorker;\n',
      [planted.webTest]: 'import { appRouter } from "@elsehu/api";\n\nexport const planted = appRouter;\n',
      [planted.core]: 'import { startApi } from "@elsehu/api";\n\nexport const planted = startApi;\n',
    });
    expect(code).not.toBe(0);
    for (const file of Object.values(planted)) {
      expect(of(file), file).toMatch(/noRestrictedImports[\s\S]*Apps don't import other apps/);
    }

    const viaTesting = lintPlanted(
      planted.apiTest,
      'import { startWorker } from "@elsehu/testing";\n\nexport const planted = startWorker;\n',
    );
    expect([viaTesting.code, viaTesting.report]).toEqual([0, expect.any(String)]);
  });

  it("apps/web/src takes only types from server packages", { timeout: 180_000 }, () => {
    const api = `apps/web/src/planted-api-${process.pid}.ts`;
    const core = `apps/web/src/planted-core-${process.pid}.ts`;
    const typeOnly = `apps/web/src/planted-types-${process.pid}.ts`;
    const { code, of } = lintPlantedFiles({
      [api]: 'import { appRouter } from "@elsehu/api";\n\nexport const planted = appRouter;\n',
      [core]: 'import { listUsers } from "@elsehu/core";\n\nexport const planted = listUsers;\n',
      [typeOnly]: 'import type { AppRouter } from "@elsehu/api";\n\nexport type Planted = AppRouter;\n',
    });
    expect(code).not.toBe(0);
    expect(of(api)).toMatch(/web-imports-types-only/);
    expect(of(core)).toMatch(/web-imports-types-only/);
    expect(of(typeOnly)).toBe("");
  });

  it("runtime code does not import the provider simulator", { timeout: 180_000 }, () => {
    const byName = `packages/core/src/planted-${process.pid}.ts`;
    const byPath = `packages/providers/src/planted-${process.pid}.ts`;
    const { code, of } = lintPlantedFiles({
      [byName]:
        'import { startSimulator } from "@elsehu/providers/simulator";\n\nexport const planted = startSimulator;\n',
      [byPath]: 'import { startSimulator } from "./simulator";\n\nexport const planted = startSimulator;\n',
    });
    expect(code).not.toBe(0);
    expect(of(byName)).toMatch(/no-simulator-in-runtime/);
    expect(of(byPath)).toMatch(/no-simulator-in-runtime/);
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
