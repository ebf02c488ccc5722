import type { CoreContext } from "../shared/context";
import { textArray } from "../shared/sql-arrays";

/** Records that these worker ids (graphile's `locked_by` values) are alive. Also run with none: it proves the database answers. */
export async function beatWorkers(core: Pick<CoreContext, "sql">, workerIds: readonly string[]): Promise<void> {
  await core.sql`
    insert into worker_heartbeats (worker_id, heartbeat_at)
    select unnest(${textArray(workerIds)}::text[]), now()
    on conflict (worker_id) do update set heartbeat_at = now()`;
}

/**
 * Unlocks the jobs of workers that hold a lock older than `staleSeconds` and have not beaten
 * for as long (graphile-worker alone would keep them ~4 h), and forgets their beats. Returns
 * the dead workers' ids. Reads graphile-worker's private jobs table: one of core's jobs/ queries.
 */
export async function unlockDeadWorkers(core: Pick<CoreContext, "sql">, staleSeconds: number): Promise<string[]> {
  const stale = await core.sql<{ id: string }[]>`
    select distinct locked_by as id from graphile_worker._private_jobs
    where locked_by is not null and locked_at < now() - make_interval(secs => ${staleSeconds})
      and locked_by not in (
        select worker_id from worker_heartbeats where heartbeat_at > now() - make_interval(secs => ${staleSeconds}))`;
  const dead = stale.map((r) => r.id);
  if (dead.length === 0) return dead;
  await core.sql`select graphile_worker.force_unlock_workers(${textArray(dead)}::text[])`;
  await core.sql`delete from worker_heartbeats where worker_id = any(${textArray(dead)}::text[])`;
  return dead;
}
