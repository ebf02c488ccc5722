import { conversations } from "@elsehu/db";
import { count, eq } from "drizzle-orm";
import { publishEvent } from "../events/publish";
import type { CoreContext, Tx } from "../shared/context";
import { assignWaiting } from "./assign-waiting";
import { type AssignmentReason, requestAssignment } from "./request-assignment";

export const QUEUE_CHANGED = "queue.changed";

/** How long a run that found the lock taken waits before trying again. */
const RETRY_MS = 200;

/**
 * What the `conversations/assign_waiting` job does: assigns in batches until
 * nothing more can be assigned. If another run holds the lock, it leaves one
 * keyed retry job behind instead of waiting, so a burst of arrivals costs one
 * quick query each and no wake-up is lost (the retry runs after the holder).
 */
export async function drainQueue(
  ctx: CoreContext,
  opts: { reason?: string; batch?: number } = {},
): Promise<{ assigned: number; retried: boolean }> {
  let assigned = 0;
  for (;;) {
    const r = await assignWaiting(ctx, { limit: opts.batch ?? 500 });
    if (!r.locked) {
      await ctx.db.transaction((tx) => requestAssignment(tx, "retry", { retryAt: new Date(Date.now() + RETRY_MS) }));
      return { assigned, retried: true };
    }
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
