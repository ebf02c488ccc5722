import type { CoreContext } from "../shared/context";

/** A job's state as `elsehu_jobs{state}` reports it. */
export type JobState = "waiting" | "scheduled" | "retrying" | "running" | "failed";

/**
 * graphile-worker's jobs by task and state, one grouped read of its private tables (kept in
 * core's jobs/, next to addJob). Finished jobs are deleted by graphile, so this reads the backlog
 * only. A job failed for good (attempts used up) stays until someone removes it.
 */
export async function jobCounts(
  ctx: Pick<CoreContext, "sql">,
): Promise<{ task: string; state: JobState; n: number }[]> {
  const rows = await ctx.sql<{ task: string; state: JobState; n: number }[]>`
    select t.identifier as task,
      case when j.locked_at is not null then 'running'
        when j.attempts >= j.max_attempts then 'failed'
        when j.run_at > now() and j.attempts > 0 then 'retrying'
        when j.run_at > now() then 'scheduled'
        else 'waiting' end as state,
      count(*)::int as n
    from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    group by 1, 2`;
  return [...rows];
}
