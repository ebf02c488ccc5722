import { resolve } from "node:path";
import { coreConfigFromEnv, resolveDatabase } from "@elsehu/core";
import { migrate } from "@elsehu/db";
import { loadApiEnv } from "./env";
import { createLogger } from "./logger";
import { startApi } from "./server";

/** Entry point of a production API process (`node --import tsx apps/api/src/main.ts`). */
async function main() {
  const env = loadApiEnv();
  // Resolve every setting before touching the database, so bad config fails fast and names the variable.
  const config = coreConfigFromEnv(env);
  const log = createLogger(env.LOG_LEVEL);
  const db = await resolveDatabase(env);
  await migrate(db.url);
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
    webDist: env.WEB_DIST ?? resolve("apps/web/dist"),
    dbPoolMax: env.DB_POOL_MAX,
    presence: { graceSeconds: env.PRESENCE_GRACE },
    drainMs: env.SHUTDOWN_DRAIN_MS,
  });
  log.info({ url: api.url }, "api listening");
  const shutdown = async () => {
    log.info("shutting down api");
    await api.close();
    await db.stop?.();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown());
  process.once("SIGINT", () => void shutdown());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
