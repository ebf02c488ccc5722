import type { CoreContext } from "@elsehu/core";
import type { WorkerUtils } from "graphile-worker";

/**
 * graphile-worker keeps a dead worker's jobs locked for ~4 hours. Each worker
 * process beats every `everyMs`; any process unlocks the jobs of workers whose
 * beat is older than `staleMs`, so a killed worker stalls nothing for long.
 */
// Lists travel as one JSON parameter: postgres.js array parameters proved fragile under load.
export function startHeartbeat(
  core: CoreContext,
  utils: WorkerUtils,
  workerIds: () => string[],
  opts: { everyMs: number; staleMs: number },
) {
  const beat = async () => {
    const ids = workerIds();
    if (ids.length > 0) {
      await core.sql`
        insert into worker_heartbeats (worker_id, heartbeat_at)
        select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb), now()
        on conflict (worker_id) do update set heartbeat_at = now()`;
    }
    const staleSeconds = opts.staleMs / 1000;
    const stale = await core.sql<{ id: string }[]>`
      select distinct locked_by as id from graphile_worker._private_jobs
      where locked_by is not null and locked_at < now() - make_interval(secs => ${staleSeconds})
        and locked_by not in (
          select worker_id from worker_heartbeats where heartbeat_at > now() - make_interval(secs => ${staleSeconds}))`;
    if (stale.length > 0) {
      const dead = stale.map((r) => r.id);
      await utils.forceUnlockWorkers(dead);
      await core.sql`delete from worker_heartbeats where worker_id in (select jsonb_array_elements_text(${JSON.stringify(dead)}::jsonb))`;
      core.log.warn({ workers: dead }, "unlocked jobs of dead workers");
    }
  };
  const timer = setInterval(() => void beat().catch((err) => core.log.warn({ err }, "heartbeat failed")), opts.everyMs);
  timer.unref();
  void beat().catch(() => {});
  return { stop: () => clearInterval(timer), beat };
}
