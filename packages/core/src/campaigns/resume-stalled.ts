import type { CoreContext } from "../shared/context";
import { scheduleTick, TICK_KEY_PREFIX } from "./schedule-tick";

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
  const stalled = await ctx.sql<{ id: string }[]>`
    select c.id from campaigns c
    where c.status in ('RUNNING', 'SCHEDULED')
      and not exists (select 1 from graphile_worker._private_jobs j where j.key = ${TICK_KEY_PREFIX} || c.id::text)`;
  for (const { id } of stalled) {
    await ctx.db.transaction((tx) => scheduleTick(tx, id));
    ctx.log.warn({ campaignId: id }, "campaign had no dispatch tick; resumed");
  }
  return stalled.map((r) => r.id);
}
