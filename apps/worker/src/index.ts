export { loadWorkerEnv, type WorkerEnv, workerEnvSchema } from "./env";
export { workerOptionsFromEnv } from "./options";
export { ensureStillOurs } from "./tasks/campaigns/dispatch-tick";
export { CRON, TASKS } from "./tasks/catalog";
export { type StartWorkerOptions, startWorker, type WorkerHandle } from "./worker";
