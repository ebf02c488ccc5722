import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Embedded, migrate, startEmbeddedPostgres } from "@elsehu/db";
import { type Cluster, type ClusterOptions, startCluster } from "./harness";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const p = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(p));
    });
    s.on("error", reject);
  });
}

/**
 * A cluster on a Postgres of its own, kept on disk so a scenario can stop it and
 * start it again on the same port (the processes must reconnect by themselves).
 */
export async function clusterOnOwnPostgres(name: string, opts: Omit<ClusterOptions, "name" | "databaseUrl"> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "elsehu-pg-restart-"));
  const port = await freePort();
  let pg: Embedded = await startEmbeddedPostgres({ dir, port, persistent: true });
  await migrate(pg.url);
  const cluster: Cluster = await startCluster({ ...opts, name, databaseUrl: pg.url });
  return {
    cluster,
    stopPostgres: () => pg.stop(),
    startPostgres: async () => {
      pg = await startEmbeddedPostgres({ dir, port, persistent: true });
    },
    close: async () => {
      await cluster.close();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Status of a request, or "timeout"/"error" when it does not answer within `ms`. */
export async function probe(url: string, init: RequestInit = {}, ms = 10_000): Promise<number | "timeout" | "error"> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    return err instanceof Error && err.name === "TimeoutError" ? "timeout" : "error";
  }
}
