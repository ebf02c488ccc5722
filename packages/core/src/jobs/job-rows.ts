import type { CoreContext } from "../shared/context";
import { idArray, textArray } from "../shared/sql-arrays";
import type { JobName } from "./catalog";

/** A queued or running graphile-worker job, as the jobs table holds it. */
export type JobRow = {
  id: string;
  task: string;
  key: string | null;
  /** Its named queue (jobs of one queue run one at a time, in order), if any. */
  queue: string | null;
  payload: unknown;
  runAt: Date;
  attempts: number;
  lockedBy: string | null;
  lockedAt: Date | null;
  lastError: string | null;
};

/**
 * The jobs of one task and/or under one key (queued, running or failed, not yet deleted),
 * oldest first: for the campaign net, operations and tests. graphile-worker's private tables
 * are read only here and in the other files of core's jobs/ (ARCHITECTURE.md, data access).
 */
export async function listJobs(
  core: Pick<CoreContext, "sql">,
  filter: { task?: JobName; key?: string; id?: string } = {},
): Promise<JobRow[]> {
  // Timestamps come back as text (drizzle sets the pool's parsers): made Dates here.
  const rows = await core.sql<(Omit<JobRow, "runAt" | "lockedAt"> & { runAt: string; lockedAt: string | null })[]>`
    select j.id::text as id, t.identifier as task, j.key, q.queue_name as queue, j.payload, j.run_at as "runAt", j.attempts,
      j.locked_by as "lockedBy", j.locked_at as "lockedAt", j.last_error as "lastError"
    from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
    where (${filter.task ?? null}::text is null or t.identifier = ${filter.task ?? null})
      and (${filter.key ?? null}::text is null or j.key = ${filter.key ?? null})
      and (${filter.id ?? null}::bigint is null or j.id = ${filter.id ?? null}::bigint)
    order by j.id`;
  return rows.map((r) => ({ ...r, runAt: new Date(r.runAt), lockedAt: r.lockedAt ? new Date(r.lockedAt) : null }));
}

/** Of these job keys, the ones no job holds (a chain that should always have its next job). */
export async function missingJobKeys(core: Pick<CoreContext, "sql">, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await core.sql<{ key: string }[]>`
    select k.key from unnest(${textArray(keys)}::text[]) as k(key)
    where not exists (select 1 from graphile_worker._private_jobs j where j.key = k.key)`;
  return rows.map((r) => r.key);
}

/**
 * Fault injection for tests: makes a job look taken by `lockedBy` `secondsAgo` seconds ago,
 * as a worker that died holding it leaves it (`lockedBy` null: unlocked, as the heartbeat
 * leaves it). Returns the ids changed.
 */
export async function plantJobLock(
  core: Pick<CoreContext, "sql">,
  where: { id?: string; task?: JobName; key?: string },
  lock: { lockedBy: string | null; secondsAgo?: number },
): Promise<string[]> {
  const rows = await core.sql<{ id: string }[]>`
    update graphile_worker._private_jobs j
    set locked_by = ${lock.lockedBy},
      locked_at = case when ${lock.lockedBy}::text is null then null
        else now() - make_interval(secs => ${lock.secondsAgo ?? 0}) end
    from graphile_worker._private_tasks t
    where t.id = j.task_id
      and (${where.task ?? null}::text is null or t.identifier = ${where.task ?? null})
      and (${where.key ?? null}::text is null or j.key = ${where.key ?? null})
      and (${where.id ?? null}::bigint is null or j.id = ${where.id ?? null}::bigint)
    returning j.id::text as id`;
  return rows.map((r) => r.id);
}

/** Deletes jobs by id, locked or not (graphile's own `complete_jobs` spares locked ones): for tests. */
export async function removeJobs(core: Pick<CoreContext, "sql">, ids: readonly string[]): Promise<void> {
  await core.sql`delete from graphile_worker._private_jobs where id = any(${idArray(ids.map(Number))}::bigint[])`;
}

/** graphile-worker's record of each crontab line: known since, last run (for health checks and tests). */
export async function listCrontabs(
  core: Pick<CoreContext, "sql">,
): Promise<{ identifier: string; knownSince: Date; lastExecution: Date | null }[]> {
  const rows = await core.sql<{ identifier: string; knownSince: string; lastExecution: string | null }[]>`
    select identifier, known_since as "knownSince", last_execution as "lastExecution"
    from graphile_worker._private_known_crontabs order by identifier`;
  return rows.map((r) => ({
    identifier: r.identifier,
    knownSince: new Date(r.knownSince),
    lastExecution: r.lastExecution ? new Date(r.lastExecution) : null,
  }));
}

/**
 * Fault injection for tests: makes a crontab line known since `since`, as a worker down
 * that long leaves it, so the next worker backfills the runs it missed (within the line's
 * backfill period). graphile-worker's schema must exist (a worker started once).
 */
export async function backdateCrontab(core: Pick<CoreContext, "sql">, identifier: string, since: Date): Promise<void> {
  await core.sql`
    insert into graphile_worker._private_known_crontabs (identifier, known_since)
    values (${identifier}, ${since.toISOString()}::timestamptz)
    on conflict (identifier) do update set known_since = excluded.known_since, last_execution = null`;
}
