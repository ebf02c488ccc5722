import { SpanKind } from "@opentelemetry/api";
import { sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import type { Tx } from "../shared/context";
import { currentTraceparent, tracingOn, withSpan } from "../telemetry/spans";
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
  tx: Tx | TransactionSql,
  name: N,
  payload: JobPayload<N>,
  opts: AddJobOptions = {},
): Promise<void> {
  parseJobPayload(name, payload);
  if (!tracingOn()) return insertJob(tx, name, payload, opts);
  await withSpan(`job enqueue ${name}`, () => insertJob(tx, name, withTrace(payload), opts), {
    kind: SpanKind.PRODUCER,
  });
}

/**
 * The payload with the enqueue span's traceparent as `_trace`, so the job's run joins
 * the trace (the catalog's zod objects drop the field when the task parses it).
 */
function withTrace(payload: unknown): unknown {
  const trace = currentTraceparent();
  if (!trace || typeof payload !== "object" || payload === null || Array.isArray(payload)) return payload;
  return { ...payload, _trace: trace };
}

async function insertJob(tx: Tx | TransactionSql, name: string, payload: unknown, opts: AddJobOptions): Promise<void> {
  // The same statement on a drizzle transaction or a postgres.js one (a verb written as one statement).
  const statement = <Q>(
    q: (strings: TemplateStringsArray, ...values: unknown[]) => Q,
  ) => q`select graphile_worker.add_job(
    identifier => ${name},
    payload => ${JSON.stringify(payload)}::json,
    queue_name => ${opts.queueName ?? null},
    run_at => ${opts.runAt ? opts.runAt.toISOString() : null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? null}::int,
    job_key => ${opts.jobKey ?? null},
    priority => ${opts.priority ?? null}::int,
    job_key_mode => ${opts.jobKeyMode ?? null}
  )`;
  if (typeof tx === "function") await statement((s, ...v) => tx(s, ...(v as never[])));
  else await tx.execute(statement((s, ...v) => sql(s, ...(v as never[]))));
}

/**
 * Many jobs in one statement (`graphile_worker.add_jobs`), in the caller's transaction, for a writer
 * that queues several at once. Each payload is checked as addJob
 * checks it. Without trace context: with tracing on, such runs go one by one through addJob.
 */
export async function addJobs<N extends JobName>(
  tx: TransactionSql,
  jobs: Array<{ name: N; payload: JobPayload<N>; queueName?: string; maxAttempts?: number }>,
): Promise<void> {
  if (jobs.length === 0) return;
  for (const j of jobs) parseJobPayload(j.name, j.payload);
  const specs = jobs.map((j, ord) => ({
    ord,
    identifier: j.name,
    payload: j.payload,
    queue_name: j.queueName ?? null,
    max_attempts: j.maxAttempts ?? null,
  }));
  await tx`
    select count(*) from graphile_worker.add_jobs(array(
      select row(s.identifier, s.payload, s.queue_name, null, s.max_attempts, null, null, null)::graphile_worker.job_spec
      from jsonb_to_recordset(${JSON.stringify(specs)}::jsonb)
        as s(ord int, identifier text, payload json, queue_name text, max_attempts int)
      order by s.ord))`;
}
