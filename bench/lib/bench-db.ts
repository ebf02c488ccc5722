import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchDatabase as sharedBenchDatabase } from "./database";

/** A fresh migrated database on DATABASE_URL's server, or on a throwaway embedded Postgres. */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const db = await sharedBenchDatabase();
  return { url: db.url, drop: db.close };
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
  allowPrivateProviderUrls: true,
});
