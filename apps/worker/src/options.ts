import { type CoreConfig, dbTimeoutsFromEnv } from "@elsehu/core";
import type { Logger } from "pino";
import type { WorkerEnv } from "./env";
import type { StartWorkerOptions } from "./worker";

/** startWorker options from the environment: shared by main.ts and `pnpm start`. */
export function workerOptionsFromEnv(
  env: WorkerEnv,
  deps: { databaseUrl: string; log: Logger; config: CoreConfig },
): StartWorkerOptions {
  return {
    ...deps,
    concurrency: env.WORKER_CONCURRENCY,
    pollIntervalMs: env.WORKER_POLL_MS,
    webhookLanes: env.WEBHOOK_LANES,
    heartbeat: { everyMs: env.WORKER_HEARTBEAT_MS, staleMs: env.WORKER_STALE_MS },
    dbTimeouts: dbTimeoutsFromEnv(env),
  };
}
