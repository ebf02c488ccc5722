/**
 * One process that boots the database (embedded when no DATABASE_URL),
 * migrates, seeds the admin, and runs one API and one worker. Used by
 * `pnpm start` and `pnpm demo`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { apiOptionsFromEnv, createLogger, loadApiEnv, loadDotEnvFile, startApi } from "@elsehu/api";
import {
  coreConfigFromEnv,
  resolveDatabase,
  startTelemetry,
  survivesDatabaseOutages,
  telemetryConfigFromEnv,
} from "@elsehu/core";
import { migrate } from "@elsehu/db";
import { loadWorkerEnv, startWorker, workerOptionsFromEnv } from "@elsehu/worker";
import { seed } from "./seed-lib";

/** Said at start when ADMIN_PASSWORD has no effect, so nobody believes it changed the password. */
export const ADMIN_PASSWORD_IGNORED = (email: string) =>
  `ADMIN_PASSWORD is ignored: the admin ${email} already exists. To change a password: npx -y pnpm@10.34.8 user:set-password ${email}`;

/** The console is served from apps/web/dist: build it once if it is missing. */
function ensureWebBuilt(dist: string) {
  if (existsSync(resolve(dist, "index.html")) || !existsSync("apps/web/package.json")) return;
  console.log("Building the web console (first start only)...");
  // pnpm may not be on PATH (`npx pnpm start`): reuse the pnpm that launched us.
  const pnpm = process.env.npm_execpath;
  const args = ["--filter", "@elsehu/web", "build"];
  const r = pnpm?.includes("pnpm")
    ? spawnSync(process.execPath, [pnpm, ...args], { stdio: "inherit" })
    : spawnSync("npx", ["-y", "pnpm@10.34.8", ...args], { stdio: "inherit" });
  if (r.status !== 0) console.warn("Web console build failed: the API still runs; see the output above.");
}

export async function runAll(opts: { buildWeb: boolean }) {
  const fromFile = loadDotEnvFile();
  if (fromFile.length > 0) console.log(`Settings from .env: ${fromFile.join(", ")}`);
  const env = loadApiEnv();
  const webDist = env.WEB_DIST ?? resolve("apps/web/dist");
  if (opts.buildWeb) ensureWebBuilt(webDist);
  // One process, one tracer provider: API and worker spans share the service name (default "elsehu").
  const telemetry = await startTelemetry(telemetryConfigFromEnv(env, "elsehu"));
  const log = createLogger(env.LOG_LEVEL, "elsehu");
  survivesDatabaseOutages(log);
  const db = await resolveDatabase(env);
  await migrate(db.url);
  const config = coreConfigFromEnv(env);
  const seeded = await seed(db.url, log, config, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  const worker = await startWorker(
    workerOptionsFromEnv(loadWorkerEnv(), { databaseUrl: db.url, log: log.child({ name: "worker" }), config }),
  );
  const api = await startApi({ ...apiOptionsFromEnv(env, { databaseUrl: db.url, log, config }), webDist });
  const url = env.PUBLIC_URL ?? `http://localhost:${api.port}`;
  // On one machine the console's own address is where an Evolution server on it posts webhooks.
  config.publicUrl ??= url;
  console.log(`\nElsehu Atendimento is running at ${url}`);
  console.log(`Admin: ${env.ADMIN_EMAIL}`);
  if (seeded.generatedPassword) console.log(`Generated admin password (shown once): ${seeded.generatedPassword}`);
  if (!seeded.created && env.ADMIN_PASSWORD) console.log(ADMIN_PASSWORD_IGNORED(env.ADMIN_EMAIL));
  console.log(db.dir ? `Database: embedded Postgres under ${db.dir}` : "Database: DATABASE_URL");
  const shutdown = async () => {
    await api.close();
    await worker.stop();
    await telemetry?.shutdown();
    await db.stop?.();
  };
  return { url, api, config, databaseUrl: db.url, log, shutdown };
}

/** Stops everything on SIGINT/SIGTERM, after `before` (e.g. the demo's simulator). */
export function exitOnSignal(shutdown: () => Promise<void>, before?: () => Promise<void>) {
  const stop = async () => {
    await before?.();
    await shutdown();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}
