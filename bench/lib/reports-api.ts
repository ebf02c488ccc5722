/**
 * Child process of bench/reports.ts: one real API process on port 0, so the
 * parent can read this process's own peak RSS while it streams the CSV export.
 */
import { startApi } from "@elsehu/api";
import pino from "pino";

const databaseUrl = process.env.DATABASE_URL ?? "";
const api = await startApi({
  databaseUrl,
  port: 0,
  log: pino({ level: "error" }),
  config: {
    sessionIdleTimeoutSeconds: 3600,
    encryptionKey: Buffer.alloc(32, 7),
    storagePath: "/tmp",
    conversationTtlSeconds: 86_400,
    defaultRegion: "BR",
    timezone: "America/Sao_Paulo",
  },
  rateLimits: { userPerMinute: 100_000, ipPerMinute: 100_000, webhookPerMinute: 100_000 },
});
process.stdout.write(`${JSON.stringify({ url: api.url })}\n`);
process.once("SIGTERM", () => {
  void api.close().then(() => process.exit(0));
});
