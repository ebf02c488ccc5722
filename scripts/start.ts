/**
 * `pnpm start`: one process that boots the database (embedded when no
 * DATABASE_URL), migrates, seeds the admin, and runs one API and one worker.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { createLogger, loadApiEnv, startApi } from "@elsehu/api";
import { coreConfigFromEnv, resolveDatabase } from "@elsehu/core";
import { migrate } from "@elsehu/db";
import { startWorker } from "@elsehu/worker";
import { seed } from "./seed-lib";

async function main() {
  const env = loadApiEnv();
  const log = createLogger(env.LOG_LEVEL, "elsehu");
  const db = await resolveDatabase(env);
  await migrate(db.url);
  const config = coreConfigFromEnv(env);
  const seeded = await seed(db.url, log, config, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  const webDist = env.WEB_DIST ?? resolve("apps/web/dist");
  await ensureWebBuilt(webDist, log);
  const worker = await startWorker({ databaseUrl: db.url, log: log.child({ name: "worker" }), config });
  const api = await startApi({
    databaseUrl: db.url,
    port: env.PORT,
    host: env.HOST,
    log,
    config,
    corsOrigins: env.CORS_ORIGINS,
    bodyLimitKb: env.BODY_LIMIT_KB,
    metricsToken: env.METRICS_TOKEN,
    secureCookie: env.NODE_ENV === "production" && !env.DEV_INSECURE,
    rateLimits: {
      userPerMinute: env.RATE_LIMIT_PER_MINUTE,
      ipPerMinute: env.RATE_LIMIT_IP_PER_MINUTE,
      webhookPerMinute: env.WEBHOOK_RATE_LIMIT_PER_MINUTE,
    },
    webDist,
  });
  const url = env.PUBLIC_URL ?? `http://localhost:${api.port}`;
  console.log(`\nElsehu Atendimento is running at ${url}`);
  console.log(`Admin: ${env.ADMIN_EMAIL}`);
  if (seeded.generatedPassword) console.log(`Generated admin password (shown once): ${seeded.generatedPassword}`);
  console.log(db.stop ? "Database: embedded Postgres under ./.data/pg" : "Database: DATABASE_URL");
  const shutdown = async () => {
    await api.close();
    await worker.stop();
    await db.stop?.();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown());
  process.once("SIGINT", () => void shutdown());
}

/** A fresh clone has no console build yet: build it once so the printed URL opens the console. */
async function ensureWebBuilt(webDist: string, log: { info: (msg: string) => void }) {
  if (existsSync(resolve(webDist, "index.html")) || process.env.WEB_DIST) return;
  log.info("building the web console (first start)");
  const { build } = await import("vite");
  await build({ root: resolve("apps/web"), configFile: resolve("apps/web/vite.config.ts"), logLevel: "warn" });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
