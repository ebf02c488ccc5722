import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres } from "@elsehu/db";
import { createTemplateDatabase, dropDatabase } from "@elsehu/db/testing";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** A fresh migrated database on DATABASE_URL's server, or on a throwaway embedded Postgres. */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  let server = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!server) {
    dir = mkdtempSync(join(tmpdir(), "elsehu-bench-pg-"));
    const pg = await startEmbeddedPostgres({ dir, port: await freePort(), persistent: false });
    server = pg.url;
    stop = pg.stop;
  }
  const url = await createTemplateDatabase(server);
  return {
    url,
    drop: async () => {
      await dropDatabase(url).catch(() => {});
      await stop?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function argSize(defaultSize: number): number {
  const i = process.argv.indexOf("--size");
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : defaultSize;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

export const benchConfig = () => ({
  sessionIdleTimeoutSeconds: 3600,
  encryptionKey: Buffer.alloc(32, 7),
  storagePath: mkdtempSync(join(tmpdir(), "elsehu-bench-storage-")),
  conversationTtlSeconds: 24 * 3600,
  defaultRegion: "BR",
  timezone: "America/Sao_Paulo",
});
