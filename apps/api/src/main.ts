import {
  coreConfigFromEnv,
  resolveDatabase,
  startTelemetry,
  survivesDatabaseOutages,
  telemetryConfigFromEnv,
} from "@elsehu/core";
import { migrate } from "@elsehu/db";
import { loadApiEnv, loadDotEnvFile } from "./env";
import { createLogger } from "./logger";
import { apiOptionsFromEnv, requireMetricsToken } from "./options";
import { startApi } from "./server";

/** Entry point of a production API process (`node --import tsx apps/api/src/main.ts`). */
async function main() {
  loadDotEnvFile();
  const env = loadApiEnv();
  // Resolve every setting before touching the database, so bad config fails fast and names the variable.
  const config = coreConfigFromEnv(env);
  requireMetricsToken(env);
  // Before anything connects: the database clients are wrapped for statement spans only if it is on.
  const telemetry = await startTelemetry(telemetryConfigFromEnv(env, "elsehu-api"));
  const log = createLogger(env.LOG_LEVEL);
  survivesDatabaseOutages(log);
  const db = await resolveDatabase(env);
  await migrate(db.url);
  const api = await startApi(apiOptionsFromEnv(env, { databaseUrl: db.url, log, config }));
  log.info({ url: api.url }, "api listening");
  const shutdown = async () => {
    log.info("shutting down api");
    await api.close();
    await telemetry?.shutdown();
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
