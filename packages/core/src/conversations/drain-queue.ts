import { conversations } from "@elsehu/db";
import { count, eq } from "drizzle-orm";
import { publishEvent } from "../events/publish";
import type { CoreContext, Tx } from "../shared/context";
import { assignWaiting } from "./assign-waiting";
import { type AssignmentReason, requestAssignment } from "./request-assignment";

export const QUEUE_CHANGED = "queue.changed";

/**
 * What the `conversations/assign_waiting` job does: assigns in batches until
 * nothing more can be assigned. If another run holds the lock, it leaves one
 * keyed retry job behind instead of waiting, so a burst of arrivals costs one
 * quick query each and no wake-up is lost. The retry job itself waits for the
 * lock, so it runs the moment the holder commits: a retry scheduled for later
 * would sit until the worker's next poll (graphile-worker is only told at once
 * of jobs due now), which was most of the arrival → assigned time at 50/s.
 */
export async function drainQueue(
  ctx: CoreContext,
  opts: { reason?: string; batch?: number } = {},
): Promise<{ assigned: number; retried: boolean }> {
  let assigned = 0;
  let wait = opts.reason === ("retry" satisfies AssignmentReason);
  for (;;) {
    const r = await assignWaiting(ctx, { limit: opts.batch ?? 500, wait });
    if (!r.locked) {
      await ctx.db.transaction((tx) => requestAssignment(tx, "retry"));
      return { assigned, retried: true };
    }
    wait = false;
    assigned += r.assigned.length;
    if (!r.more) break;
  }
  if (assigned > 0 || opts.reason !== ("cron" satisfies AssignmentReason)) {
    await ctx.db.transaction((tx) => publishQueueChanged(tx));
  }
  return { assigned, retried: false };
}

/**
 * Tells everyone how many conversations wait, in all and per department
 * (numbers only: operators may know the queues' sizes).
 */
export async function publishQueueChanged(tx: Tx): Promise<void> {
  const rows = await tx
    .select({ departmentId: conversations.departmentId, n: count() })
    .from(conversations)
    .where(eq(conversations.status, "WAITING"))
    .groupBy(conversations.departmentId);
  const byDepartment: Record<string, number> = {};
  let waiting = 0;
  for (const r of rows) {
    waiting += r.n;
    if (r.departmentId) byDepartment[r.departmentId] = r.n;
  }
  await publishEvent(tx, { kind: QUEUE_CHANGED, audience: { to: "ALL" }, payload: { waiting, byDepartment } });
}
