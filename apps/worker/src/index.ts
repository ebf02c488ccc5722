export { ensureStillOurs } from "@elsehu/core";
export { loadWorkerEnv, type WorkerEnv, workerEnvSchema } from "./env";
export { workerOptionsFromEnv } from "./options";
export { CRON, TASKS } from "./tasks/catalog";
export { DEFAULT_WEBHOOK_LANES, type StartWorkerOptions, startWorker, type WorkerHandle } from "./worker";
