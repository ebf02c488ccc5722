import { commonEnv, loadDotEnv, parseEnv } from "@elsehu/core";
import { z } from "zod";

export const workerEnvSchema = commonEnv.extend({
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  WORKER_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Webhook inbox batches a worker process applies at once (0: it leaves the inbox to other workers). */
  WEBHOOK_LANES: z.coerce.number().int().min(0).max(64).default(8),
  /** How often a worker beats, and after how long without a beat its jobs are unlocked. */
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  WORKER_STALE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export const loadWorkerEnv = (source: NodeJS.ProcessEnv = process.env): WorkerEnv => parseEnv(workerEnvSchema, source);

/** Entry points call this first: `.env` (working directory) fills what the real environment does not set. */
export const loadDotEnvFile = (file = ".env"): string[] => loadDotEnv(process.env, file);
