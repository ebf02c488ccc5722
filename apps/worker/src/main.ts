import {
  coreConfigFromEnv,
  logTraceFields,
  resolveDatabase,
  startTelemetry,
  survivesDatabaseOutages,
  telemetryConfigFromEnv,
} from "@elsehu/core";
import { migrate } from "@elsehu/db";
import pino from "pino";
import { loadDotEnvFile, loadWorkerEnv } from "./env";
import { workerOptionsFromEnv } from "./options";
import { startWorker } from "./worker";

async function main() {
  loadDotEnvFile();
  const env = loadWorkerEnv();
  // Resolve every setting before touching the database, so bad config fails fast and names the variable.
  const config = coreConfigFromEnv(env);
  const telemetry = await startTelemetry(telemetryConfigFromEnv(env, "elsehu-worker"));
  const log = pino({ name: "worker", level: env.LOG_LEVEL, mixin: logTraceFields });
  survivesDatabaseOutages(log);
  const db = await resolveDatabase(env);
  await migrate(db.url);
  const worker = await startWorker(workerOptionsFromEnv(env, { databaseUrl: db.url, log, config }));
  // The ids let an operator (or the cluster tests) map graphile-worker locks to this process.
  log.info({ workerIds: worker.workerIds() }, "worker started");
  const shutdown = async () => {
    log.info("shutting down worker");
    await worker.stop();
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
