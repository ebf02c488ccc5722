import { type CoreContext, isDatabaseUnavailable } from "@elsehu/core";
import type { WorkerUtils } from "graphile-worker";

/**
 * graphile-worker keeps a dead worker's jobs locked for ~4 hours. Each worker
 * process beats every `everyMs`; any process unlocks the jobs of workers whose
 * beat is older than `staleMs`, so a killed worker stalls nothing for long.
 *
 * While the database is away nobody can beat, so an old beat proves nothing
 * until live workers have had `staleMs` to beat again: after an outage this
 * process judges no one for that long (else a restart longer than `staleMs`
 * would unlock, and run twice, the jobs of every live worker).
 */
// Lists travel as one JSON parameter: postgres.js array parameters proved fragile under load.
export function startHeartbeat(
  core: CoreContext,
  utils: WorkerUtils,
  workerIds: () => string[],
  opts: { everyMs: number; staleMs: number },
) {
  /** null: no outage seen; back null: the database is away; back: when it answered again. */
  let outage: { back: number | null } | null = null;
  const beatOnce = async () => {
    // Also run with no ids (runner being replaced): it tells us the database answers.
    await core.sql`
      insert into worker_heartbeats (worker_id, heartbeat_at)
      select jsonb_array_elements_text(${JSON.stringify(workerIds())}::jsonb), now()
      on conflict (worker_id) do update set heartbeat_at = now()`;
    if (outage) {
      outage.back ??= Date.now();
      if (Date.now() - outage.back < opts.staleMs) return;
      outage = null;
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
  const beat = async () => {
    try {
      await beatOnce();
    } catch (err) {
      if (isDatabaseUnavailable(err)) outage = { back: null };
      throw err;
    }
  };
  const timer = setInterval(() => void beat().catch((err) => core.log.warn({ err }, "heartbeat failed")), opts.everyMs);
  timer.unref();
  void beat().catch(() => {});
  return { stop: () => clearInterval(timer), beat };
}
