import { campaigns } from "@elsehu/db";
import { inArray } from "drizzle-orm";
import { missingJobKeys } from "../jobs/job-rows";
import type { CoreContext } from "../shared/context";
import { scheduleTick, tickJobKey } from "./schedule-tick";

/**
 * Safety net for campaigns whose chain of dispatch ticks broke: a RUNNING or
 * SCHEDULED campaign always has a tick job under its key (a tick reschedules
 * itself before it ends), so one with none would wait forever. That happens when
 * a Postgres restart replaces a job runner mid-tick: the old tick, still running,
 * completes its job (graphile deletes it by id) after a new runner took the same
 * job up again. Each such campaign gets a tick now (its claim enforces pace,
 * window and start time). Returns the ids resumed.
 */
export async function resumeStalledCampaigns(ctx: Pick<CoreContext, "db" | "sql" | "log">): Promise<string[]> {
  // Campaigns first, then their ticks: a tick added in between is seen, never a tick missed.
  const active = await ctx.db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(inArray(campaigns.status, ["RUNNING", "SCHEDULED"]));
  const missing = new Set(
    await missingJobKeys(
      ctx,
      active.map((c) => tickJobKey(c.id)),
    ),
  );
  const stalled = active.filter((c) => missing.has(tickJobKey(c.id))).map((c) => c.id);
  for (const id of stalled) {
    await ctx.db.transaction((tx) => scheduleTick(tx, id));
    ctx.log.warn({ campaignId: id }, "campaign had no dispatch tick; resumed");
  }
  return stalled;
}
