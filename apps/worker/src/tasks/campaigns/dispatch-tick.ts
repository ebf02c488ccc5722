import { dispatchTick, ensureStillOurs, ProgressThrottle, scheduleTick } from "@elsehu/core";
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
export const dispatchTickTask = defineTask("campaigns/dispatch_tick", async ({ campaignId }, { core }, helpers) => {
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
});
