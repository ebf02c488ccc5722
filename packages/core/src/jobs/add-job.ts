import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { type JobName, type JobPayload, parseJobPayload } from "./catalog";

export type AddJobOptions = {
  jobKey?: string;
  jobKeyMode?: "replace" | "preserve_run_at" | "unsafe_dedupe";
  runAt?: Date;
  maxAttempts?: number;
  queueName?: string;
  priority?: number;
};

/**
 * Adds a graphile-worker job inside the caller's transaction, so the job exists
 * if and only if the data change that needs it commits. The name and payload type come
 * from the job catalog (`catalog.ts`); the payload is also checked against its schema
 * here, so a payload built from unchecked data fails now, naming the job (JobPayloadError),
 * instead of being dropped by the task later.
 */
export async function addJob<N extends JobName>(
  tx: Tx,
  name: N,
  payload: JobPayload<N>,
  opts: AddJobOptions = {},
): Promise<void> {
  parseJobPayload(name, payload);
  await tx.execute(sql`select graphile_worker.add_job(
    identifier => ${name},
    payload => ${JSON.stringify(payload)}::json,
    queue_name => ${opts.queueName ?? null},
    run_at => ${opts.runAt ? opts.runAt.toISOString() : null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? null}::int,
    job_key => ${opts.jobKey ?? null},
    priority => ${opts.priority ?? null}::int,
    job_key_mode => ${opts.jobKeyMode ?? null}
  )`);
}
