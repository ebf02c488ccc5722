import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withDatabase } from "@elsehu/db/testing";
import { describe, expect, inject, it } from "vitest";

const root = join(import.meta.dirname, "../../../..");

type FileResult = { name: string; status: string; message: string };

/** Runs the fixture files under the leak check (their own vitest run) and returns each file's outcome. */
function runFixtures(): FileResult[] {
  const out = mkdtempSync(join(tmpdir(), "elsehu-leak-check-"));
  try {
    const report = join(out, "report.json");
    const r = spawnSync(
      process.execPath,
      [
        join(root, "node_modules/vitest/vitest.mjs"),
        "run",
        "--config",
        join(import.meta.dirname, "leak-fixtures/vitest.config.ts"),
        "--reporter=json",
        `--outputFile=${report}`,
      ],
      {
        cwd: root,
        encoding: "utf8",
        env: {
          ...process.env,
          LEAK_FIXTURE_DATABASE_URL: withDatabase(inject("templateDatabaseUrl"), "postgres"),
        },
      },
    );
    expect(r.status, `${r.stdout}${r.stderr}`).not.toBe(0);
    const json = JSON.parse(readFileSync(report, "utf8")) as {
      testResults: { name: string; status: string; message: string }[];
    };
    return json.testResults.map((t) => ({
      name: t.name.split("/").pop() ?? "",
      status: t.status,
      message: t.message,
    }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe("the leak check after each test file", () => {
  it("fails a file that leaves a server, a timer, a Postgres connection or a folder, naming it", {
    timeout: 120_000,
  }, () => {
    const results = Object.fromEntries(runFixtures().map((r) => [r.name, r]));
    expect(results["clean.fixture.ts"]).toMatchObject({ status: "passed" });
    expect(results["leaves-server.fixture.ts"]).toMatchObject({ status: "failed" });
    expect(results["leaves-server.fixture.ts"]?.message).toMatch(/TCPServerWrap \(a server still listening\)/);
    expect(results["leaves-server.fixture.ts"]?.message).toMatch(/a server listening on port \d+/);
    expect(results["leaves-timer.fixture.ts"]).toMatchObject({ status: "failed" });
    expect(results["leaves-timer.fixture.ts"]?.message).toMatch(/Timeout \(a timer or interval not cleared\)/);
    expect(results["leaves-postgres.fixture.ts"]).toMatchObject({ status: "failed" });
    expect(results["leaves-postgres.fixture.ts"]?.message).toMatch(
      /to port \d+ \(Postgres: a pool or client not ended\)/,
    );
    expect(results["leaves-folder.fixture.ts"]).toMatchObject({ status: "failed" });
    expect(results["leaves-folder.fixture.ts"]?.message).toMatch(/folder .*elsehu-fixture-/);
  });
});
