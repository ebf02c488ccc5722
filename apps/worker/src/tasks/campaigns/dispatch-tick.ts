import { type CoreContext, DISPATCH_TICK_JOB, dispatchTick, ProgressThrottle, scheduleTick } from "@elsehu/core";
import type { Job } from "graphile-worker";
import { z } from "zod";
import { defineTask } from "../define";

/** How long one job keeps ticking a campaign before handing over to a fresh job. */
const JOB_BUDGET_MS = 5_000;
const throttle = new ProgressThrottle();

/**
 * Runs a campaign's dispatch ticks for up to JOB_BUDGET_MS, sleeping between pace
 * steps (graphile only polls for future jobs, which would blur a fast pace), then
 * re-adds itself for the next step. Jobs stay short, so a killed worker's job is
 * unlocked by the heartbeat and re-run quickly; re-running is safe by design.
 */
export const dispatchTickTask = defineTask(
  DISPATCH_TICK_JOB,
  z.object({ campaignId: z.string().uuid() }),
  async ({ campaignId }, { core }, helpers) => {
    const deadline = Date.now() + JOB_BUDGET_MS;
    for (;;) {
      const tick = await dispatchTick(core, campaignId, { throttle });
      if (!tick.nextRunAt) return ensureStillOurs(core, helpers.job);
      const wait = tick.nextRunAt.getTime() - core.now().getTime();
      if (Date.now() + Math.max(0, wait) >= deadline) {
        await core.db.transaction((tx) => scheduleTick(tx, campaignId, tick.nextRunAt ?? undefined));
        return ensureStillOurs(core, helpers.job);
      }
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  },
);

/**
 * graphile completes a job by deleting it by id, whoever holds it by then. A tick whose
 * runner was replaced during a database outage can find its job unlocked, or taken up by
 * another runner, and may have moved the campaign's next tick onto it: completing would
 * delete that next tick. Failing instead changes nothing (graphile fails a job only under
 * its own lock), so the job runs again. resumeStalledCampaigns is the net behind this.
 */
export async function ensureStillOurs(core: CoreContext, job: Pick<Job, "id" | "locked_by">): Promise<void> {
  const [row] = await core.sql<{ locked_by: string | null }[]>`
    select locked_by from graphile_worker._private_jobs where id = ${job.id}`;
  if (row && row.locked_by !== job.locked_by) {
    throw new Error("this tick's job was taken over by another runner: not completing it");
  }
}
