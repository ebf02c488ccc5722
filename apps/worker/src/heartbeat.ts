import { beatWorkers, type CoreContext, isDatabaseUnavailable, unlockDeadWorkers } from "@elsehu/core";

/**
 * graphile-worker keeps a dead worker's jobs locked for ~4 hours. Each worker
 * process beats every `everyMs`; any process unlocks the jobs of workers whose
 * beat is older than `staleMs`, so a killed worker stalls nothing for long.
 *
 * While the database is away nobody can beat, so an old beat proves nothing
 * until live workers have had `staleMs` to beat again: after an outage this
 * process judges no one for that long (else a restart longer than `staleMs`
 * would unlock, and run twice, the jobs of every live worker).
 * The queries (graphile's private jobs table) are core's: jobs/worker-heartbeats.ts.
 */
export function startHeartbeat(
  core: CoreContext,
  workerIds: () => string[],
  opts: { everyMs: number; staleMs: number },
) {
  /** null: no outage seen; back null: the database is away; back: when it answered again. */
  let outage: { back: number | null } | null = null;
  const beatOnce = async () => {
    // Also run with no ids (runner being replaced): it tells us the database answers.
    await beatWorkers(core, workerIds());
    if (outage) {
      outage.back ??= Date.now();
      if (Date.now() - outage.back < opts.staleMs) return;
      outage = null;
    }
    const dead = await unlockDeadWorkers(core, opts.staleMs / 1000);
    if (dead.length > 0) core.log.warn({ workers: dead }, "unlocked jobs of dead workers");
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
