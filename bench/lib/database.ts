import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, migrate, startEmbeddedPostgres } from "@elsehu/db";
import { dropDatabase, withDatabase } from "@elsehu/db/testing";

export type BenchDatabase = {
  /** URL of the fresh, migrated database this benchmark owns. */
  url: string;
  /** URL of the server's maintenance database (for creating more databases). */
  serverUrl: string;
  /** True when an embedded Postgres was booted for this run. */
  embedded: boolean;
  /** Drops the database and stops the embedded server, if any. Safe to call twice. */
  close: () => Promise<void>;
};

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
 * A private database for one benchmark run, like the tests get: on
 * DATABASE_URL's server when set, otherwise on an embedded Postgres in a
 * temporary directory. The database is created, migrated, and dropped by
 * `close()` (also on SIGINT/SIGTERM), so runs never see each other's rows.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (serverUrl) {
    serverUrl = withDatabase(serverUrl, "postgres");
  } else {
    dir = mkdtempSync(join(tmpdir(), "elsehu-bench-pg-"));
    const pg = await startEmbeddedPostgres({ dir, port: await freePort(), persistent: false });
    serverUrl = withDatabase(pg.url, "postgres");
    stopServer = pg.stop;
  }
  const name = `elsehu_bench_${randomBytes(4).toString("hex")}`;
  const admin = connect(serverUrl, { max: 1, applicationName: "elsehu-bench" });
  await admin.sql.unsafe(`create database ${name}`);
  await admin.close();
  const url = withDatabase(serverUrl, name);
  await migrate(url);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await dropDatabase(url).catch((err: unknown) => console.error("could not drop bench database", err));
    await stopServer?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = () => {
    void close().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return { url, serverUrl, embedded: Boolean(stopServer), close };
}
