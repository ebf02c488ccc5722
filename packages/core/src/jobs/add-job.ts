import { SpanKind } from "@opentelemetry/api";
import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { currentTraceparent, tracingOn, withSpan } from "../telemetry/spans";

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
 * if and only if the data change that needs it commits.
 */
export async function addJob(tx: Tx, identifier: string, payload: unknown, opts: AddJobOptions = {}): Promise<void> {
  if (!tracingOn()) return insertJob(tx, identifier, payload, opts);
  await withSpan(`job enqueue ${identifier}`, () => insertJob(tx, identifier, withTrace(payload), opts), {
    kind: SpanKind.PRODUCER,
  });
}

/**
 * The payload with the enqueue span's traceparent as `_trace`, so the job's run joins
 * the trace (tasks parse payloads with zod objects, which drop the field).
 */
function withTrace(payload: unknown): unknown {
  const trace = currentTraceparent();
  if (!trace || typeof payload !== "object" || payload === null || Array.isArray(payload)) return payload;
  return { ...payload, _trace: trace };
}

async function insertJob(tx: Tx, identifier: string, payload: unknown, opts: AddJobOptions): Promise<void> {
  await tx.execute(sql`select graphile_worker.add_job(
    identifier => ${identifier},
    payload => ${JSON.stringify(payload)}::json,
    queue_name => ${opts.queueName ?? null},
    run_at => ${opts.runAt ? opts.runAt.toISOString() : null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? null}::int,
    job_key => ${opts.jobKey ?? null},
    priority => ${opts.priority ?? null}::int,
    job_key_mode => ${opts.jobKeyMode ?? null}
  )`);
}
