import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres } from "@elsehu/db";
import { createTemplateDatabase, dropDatabase } from "@elsehu/db/testing";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/**
 * Boots a throwaway embedded Postgres (or uses DATABASE_URL's server) and
 * migrates one template database; each test file clones it.
 */
export default async function setup(project: TestProject) {
  // A scenario of docs/reliability.md passes only on this run's evidence: no result survives from an older run.
  const artifacts = join(import.meta.dirname, "test-artifacts");
  rmSync(join(artifacts, "reliability"), { recursive: true, force: true });
  rmSync(join(artifacts, "vitest-results.json"), { force: true });
  let serverUrl = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!serverUrl) {
    dir = mkdtempSync(join(tmpdir(), "elsehu-pg-"));
    const pg = await startEmbeddedPostgres({ dir, port: await freePort(), persistent: false });
    serverUrl = pg.url;
    stop = pg.stop;
  }
  const template = await createTemplateDatabase(serverUrl);
  project.provide("templateDatabaseUrl", template);
  return async () => {
    await dropDatabase(template).catch(() => {});
    await stop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
