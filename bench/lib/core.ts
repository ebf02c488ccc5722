import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@elsehu/api";
import type { CoreConfig } from "@elsehu/core";

/** Logs stay quiet during a benchmark unless BENCH_LOG_LEVEL says otherwise (writing logs would be measured). */
export const benchLog = createLogger(process.env.BENCH_LOG_LEVEL ?? "silent", "bench");

/** A core configuration for benchmarks: throwaway encryption key and storage directory. */
export function benchConfig(over: Partial<CoreConfig> = {}): CoreConfig {
  const storagePath = mkdtempSync(join(tmpdir(), "elsehu-bench-storage-"));
  process.once("exit", () => rmSync(storagePath, { recursive: true, force: true }));
  return {
    sessionIdleTimeoutSeconds: 8 * 3600,
    encryptionKey: randomBytes(32),
    storagePath,
    conversationTtlSeconds: 24 * 3600,
    defaultRegion: "BR",
    timezone: "America/Sao_Paulo",
    // Benchmarks talk to the simulator on 127.0.0.1.
    allowPrivateProviderUrls: true,
    ...over,
  };
}

/** Rate limits high enough that a benchmark measures the work, not the throttle. */
export const unthrottled = { userPerMinute: 1e9, ipPerMinute: 1e9, webhookPerMinute: 1e9 };
